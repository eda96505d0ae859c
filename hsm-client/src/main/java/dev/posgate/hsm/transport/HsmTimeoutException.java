package dev.posgate.hsm.transport;

/** The HSM took the command but its reply did not arrive within the per-request timeout. */
public class HsmTimeoutException extends HsmUnavailableException {
    public HsmTimeoutException(String message) {
        super(message);
    }
}
