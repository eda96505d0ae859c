package dev.posgate.hsm;

/**
 * The HSM answered a command with an error code other than {@code 00} (and other than a
 * verification failure that the API returns as {@code false}). Carries the command code and the
 * 2-character payShield error code: the gateway maps {@code 01} of a verification to a business
 * result and everything else to response code 96.
 */
public class HsmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final String errorCode;

    public HsmException(String command, String errorCode) {
        this(command, errorCode, "HSM command " + command + " failed with error " + errorCode
                + " (" + HsmErrors.describe(errorCode) + ")");
    }

    protected HsmException(String command, String errorCode, String message) {
        super(message);
        this.command = command;
        this.errorCode = errorCode;
    }

    /** The 2-character command code, e.g. {@code CA}. */
    public String command() {
        return command;
    }

    /** The 2-character payShield error code, e.g. {@code 10}; {@code --} for a malformed reply. */
    public String errorCode() {
        return errorCode;
    }

    /** True for error {@code 01} (verification failure / check failed). */
    public boolean isVerificationFailure() {
        return "01".equals(errorCode);
    }
}
