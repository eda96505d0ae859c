package dev.posgate.hsm.sim;

/** A command cannot be executed: the simulator answers with {@link #errorCode()}. */
final class HsmCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorCode;

    HsmCommandException(String errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    String errorCode() {
        return errorCode;
    }
}
