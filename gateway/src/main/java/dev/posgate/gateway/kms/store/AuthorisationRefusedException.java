package dev.posgate.gateway.kms.store;

/** A loading-authorisation request refused at the admin API, with the HTTP status it gets. Public for the fuzz test. */
public final class AuthorisationRefusedException extends RuntimeException {
    public final int httpStatus;

    public int httpStatus() {
        return httpStatus;
    }

    public AuthorisationRefusedException(int httpStatus, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
    }
}
