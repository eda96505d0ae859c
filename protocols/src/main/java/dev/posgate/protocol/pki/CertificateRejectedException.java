package dev.posgate.protocol.pki;

/** A certificate that must not be trusted, with the reason (logged and audited, never the key). */
public final class CertificateRejectedException extends Exception {
    public enum Reason { MALFORMED, NOT_FROM_ROOT, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, REVOKED, WRONG_ROLE }

    private final Reason reason;

    public CertificateRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
