package dev.posgate.gateway.kms.admin;

/** A batch refused before anything is stored: malformed ({@code 30}) or not properly signed ({@code 63}). Public for the fuzz test. */
public final class BatchRejectedException extends RuntimeException {
    final String code;

    BatchRejectedException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
