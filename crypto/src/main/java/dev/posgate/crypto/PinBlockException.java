package dev.posgate.crypto;

/**
 * A clear PIN block does not decode under its format: wrong control nibble, PIN length outside
 * 4..12, a non-decimal PIN digit or an invalid fill digit. HSM error code 20 territory.
 */
public class PinBlockException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public PinBlockException(String message) {
        super(message);
    }
}
