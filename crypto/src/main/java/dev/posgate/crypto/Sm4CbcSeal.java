package dev.posgate.crypto;

import java.util.Arrays;

/**
 * Encrypt-then-MAC under one SM4 key, the TMS sealed body of an SM4 terminal (protocol.md
 * section 5, docs/national-crypto.md "SM4 sealed body"): the {@link CbcSeal} shape with 16-byte
 * blocks, {@code IV (16) ‖ SM4-CBC(K, IV, P) ‖ SM4-CBC-MAC(K, IV ‖ C) (16)}. The MAC is ISO 9797-1
 * MAC algorithm 1 with a zero IV; {@code IV ‖ C} is already a multiple of 16, so no padding is
 * added. {@code P} is already padded to a multiple of 16 (the caller's layout); {@link #open}
 * checks the MAC before it decrypts.
 */
public final class Sm4CbcSeal {
    public static final int IV = Sm4.BLOCK;
    public static final int MAC = Sm4.BLOCK;
    /** The smallest body: IV, one cipher block, MAC. */
    public static final int MIN_BODY = IV + Sm4.BLOCK + MAC;

    private Sm4CbcSeal() {}

    public static byte[] seal(byte[] key16, byte[] iv, byte[] padded) {
        if (iv.length != IV) throw new IllegalArgumentException("IV must be 16 bytes");
        if (padded.length == 0 || padded.length % Sm4.BLOCK != 0) {
            throw new IllegalArgumentException("plaintext must be a non-empty multiple of 16 bytes");
        }
        byte[] body = Arrays.copyOf(iv, IV + padded.length + MAC);
        System.arraycopy(Sm4.encryptCbc(key16, iv, padded), 0, body, IV, padded.length);
        byte[] mac = Macs.sm4CbcMac(key16, Arrays.copyOf(body, IV + padded.length), PaddingMethod.METHOD_1);
        System.arraycopy(mac, 0, body, IV + padded.length, MAC);
        return body;
    }

    /** The padded plaintext of {@code body}; {@link IntegrityException} when its MAC does not verify. */
    public static byte[] open(byte[] key16, byte[] body) {
        if (body.length < MIN_BODY || body.length % Sm4.BLOCK != 0) {
            throw new IllegalArgumentException("sealed body must be at least 48 bytes, a multiple of 16");
        }
        int macAt = body.length - MAC;
        byte[] expected = Macs.sm4CbcMac(key16, Arrays.copyOf(body, macAt), PaddingMethod.METHOD_1);
        if (!Macs.verify(expected, Arrays.copyOfRange(body, macAt, body.length))) {
            throw new IntegrityException("sealed body MAC mismatch");
        }
        return Sm4.decryptCbc(key16, Arrays.copyOf(body, IV), Arrays.copyOfRange(body, IV, macAt));
    }
}
