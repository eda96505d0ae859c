package dev.posgate.gateway.kms;

/** A loading-authorisation request refused at the admin API, with the HTTP status it gets. */
final class AuthorisationRefusedException extends RuntimeException {
    final int httpStatus;

    AuthorisationRefusedException(int httpStatus, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
    }
}
