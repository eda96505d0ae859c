package dev.posgate.hsm;

/**
 * The HSM's reply could not be understood (wrong reply code, missing or malformed fields): a
 * protocol fault, not a business error. {@link #errorCode()} is {@code --}.
 */
public class HsmProtocolException extends HsmException {
    private static final long serialVersionUID = 1L;

    public HsmProtocolException(String command, String detail) {
        super(command, "--", "malformed HSM reply to " + command + ": " + detail);
    }
}
