package dev.posgate.terminal.tms;

/** The terminal could not authenticate the TMS (TAC mismatch: wrong DMK or a false TMS), or a key failed its KCV. */
public final class TmsAuthenticationException extends SecurityException {
    private static final long serialVersionUID = 1L;

    public TmsAuthenticationException(String message) {
        super(message);
    }
}
