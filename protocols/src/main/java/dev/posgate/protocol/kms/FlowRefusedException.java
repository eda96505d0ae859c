package dev.posgate.protocol.kms;

/**
 * A K- or L-flow step that cannot go on, with the SRC to answer (host side) or the SRC the peer
 * answered / the local reason (terminal side, e.g. {@code 63} for a certificate or Rnd check).
 */
public final class FlowRefusedException extends RuntimeException {
    private final String status;

    public FlowRefusedException(String status, String message) {
        super(message);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
