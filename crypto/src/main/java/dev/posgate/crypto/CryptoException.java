package dev.posgate.crypto;

/**
 * A cryptographic check failed or a cryptographic operation could not be completed
 * (bad OAEP/PKCS#1 padding, integrity hash mismatch, malformed PIN block, ...).
 * Unchecked: callers that map failures to protocol response codes catch it explicitly.
 */
public class CryptoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
