package dev.posgate.crypto;

import java.util.Arrays;

/**
 * Encrypt-then-MAC under one double-length TDES key, the TMS download phase's sealed body
 * (protocol.md section 3): {@code IV (8) ‖ TDES-CBC(K, IV, P) ‖ X9.19(K, IV ‖ C)}. {@code P} is
 * already padded to a multiple of 8 (the caller's layout); {@link #open} checks the MAC before it
 * decrypts, so nothing unauthenticated is ever decrypted.
 */
public final class CbcSeal {
    public static final int IV = 8;
    public static final int MAC = 8;
    /** The smallest body: IV, one cipher block, MAC. */
    public static final int MIN_BODY = IV + Tdes.BLOCK + MAC;

    private CbcSeal() {}

    public static byte[] seal(byte[] key16, byte[] iv, byte[] padded) {
        return seal(key16, key16, iv, padded);
    }

    /**
     * The same layout with role-separated keys (TMS protocol version 2, docs/tms.md "Session keys"):
     * {@code IV ‖ TDES-CBC(dataKey, IV, P) ‖ X9.19(macKey, IV ‖ C)}.
     */
    public static byte[] seal(byte[] dataKey16, byte[] macKey16, byte[] iv, byte[] padded) {
        if (iv.length != IV) throw new IllegalArgumentException("IV must be 8 bytes");
        if (padded.length == 0 || padded.length % Tdes.BLOCK != 0) {
            throw new IllegalArgumentException("plaintext must be a non-empty multiple of 8 bytes");
        }
        byte[] body = Arrays.copyOf(iv, IV + padded.length + MAC);
        System.arraycopy(Tdes.encryptCbc(dataKey16, iv, padded), 0, body, IV, padded.length);
        byte[] mac = Macs.x919(macKey16, Arrays.copyOf(body, IV + padded.length));
        System.arraycopy(mac, 0, body, IV + padded.length, MAC);
        return body;
    }

    /** The padded plaintext of {@code body}; {@link IntegrityException} when its MAC does not verify. */
    public static byte[] open(byte[] key16, byte[] body) {
        return open(key16, key16, body);
    }

    /** {@link #open(byte[], byte[])} with role-separated keys: the MAC under {@code macKey16}, then CBC under {@code dataKey16}. */
    public static byte[] open(byte[] dataKey16, byte[] macKey16, byte[] body) {
        if (body.length < MIN_BODY || body.length % Tdes.BLOCK != 0) {
            throw new IllegalArgumentException("sealed body must be at least 24 bytes, a multiple of 8");
        }
        int macAt = body.length - MAC;
        byte[] expected = Macs.x919(macKey16, Arrays.copyOf(body, macAt));
        if (!Macs.verify(expected, Arrays.copyOfRange(body, macAt, body.length))) {
            throw new IntegrityException("sealed body MAC mismatch");
        }
        return Tdes.decryptCbc(dataKey16, Arrays.copyOf(body, IV), Arrays.copyOfRange(body, IV, macAt));
    }
}
