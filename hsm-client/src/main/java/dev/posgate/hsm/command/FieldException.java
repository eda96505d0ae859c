package dev.posgate.hsm.command;

/**
 * A request or reply field is missing or malformed. Carries the payShield error code the HSM
 * answers with ({@code 15} unless the command defines a more specific one).
 */
public final class FieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorCode;

    public FieldException(String errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }
}
