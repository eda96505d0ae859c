package dev.posgate.protocol.tms.handshake;

/** DF16 values. */
public final class AuthStage {
    /** After H1: the terminal can authenticate the TMS. */
    public static final int TMS_AUTHENTICATED = 0x01;
    /** After H2: both sides authenticated, download phase open. */
    public static final int BOTH_AUTHENTICATED = 0x02;

    private AuthStage() {}
}
