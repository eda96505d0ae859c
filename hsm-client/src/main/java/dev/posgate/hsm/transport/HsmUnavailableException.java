package dev.posgate.hsm.transport;

/** No HSM could take the command: every host is down, the circuit is open, or the pool is closed. */
public class HsmUnavailableException extends RuntimeException {
    public HsmUnavailableException(String message) {
        super(message);
    }

    public HsmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
