package dev.posgate.crypto;

/**
 * A key block (TR-31 / ANSI X9.143, or a key-block-LMK key) is malformed or not supported: bad
 * header field, wrong length, non-hex key data, unsupported version, a KBPK of the wrong kind, or
 * a decrypted key length that does not fit. A failed MAC is an {@link IntegrityException}.
 */
public class KeyBlockException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public KeyBlockException(String message) {
        super(message);
    }
}
