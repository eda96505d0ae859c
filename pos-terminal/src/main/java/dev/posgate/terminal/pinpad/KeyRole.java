package dev.posgate.terminal.pinpad;

/** What a PIN pad key slot holds. Working keys live under the master key of the same index. */
public enum KeyRole {
    /** Terminal master key: decrypts working keys sent at sign-on. */
    TMK,
    /** PIN encryption key. */
    PIK,
    /** MAC key. */
    MAK,
    /** Track data key. */
    TDK,
    /** Download master key (TMS), injected at installation. */
    DMK,
    /** Transmission encryption key (half of TK). */
    TEK,
    /** Authentication key (half of TK). */
    AUK
}
