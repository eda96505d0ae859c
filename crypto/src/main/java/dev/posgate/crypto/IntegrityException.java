package dev.posgate.crypto;

/** An integrity value (hash, MAC) embedded in decoded data does not match its content. */
public class IntegrityException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }
}
