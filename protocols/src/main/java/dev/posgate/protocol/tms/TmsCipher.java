package dev.posgate.protocol.tms;

import dev.posgate.crypto.CbcSeal;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.Sm4;
import dev.posgate.crypto.Sm4CbcSeal;
import dev.posgate.crypto.Tdes;

/**
 * The cipher family a terminal's TMS session speaks (protocol.md sections 3 and 5): the DMK, DWK
 * and key-message keys are TDES or SM4 keys, and TAC/SAC, key unwrapping, KCVs and sealed bodies
 * follow. The handshake and download state machines take one as a parameter; the clear-key
 * operations here are the terminal side's (the gateway runs them as HSM commands).
 */
public enum TmsCipher {
    /** Double-length TDES: X9.9-family TAC, TDES-ECB key wrapping, IV 8 ‖ TDES-CBC ‖ X9.19. */
    TDES(0x01, Tdes.BLOCK, CbcSeal.IV),
    /** SM4: SM4-CBC-MAC TAC, SM4-ECB key wrapping, IV 16 ‖ SM4-CBC ‖ SM4-CBC-MAC (docs/national-crypto.md). */
    SM4(0x02, Sm4.BLOCK, Sm4CbcSeal.IV),
    /**
     * TMS protocol version 2 (posgate's amendment for HSMs with standard commands only, docs/tms.md
     * "Session keys"): TDES, the DWK only a key-encrypting key, TAC/SAC under a session TAK and sealed
     * bodies {@code IV ‖ TDES-CBC(DEK) ‖ X9.19(TAK)}; TAK and DEK come under the DWK in H1 (DF18, DF19).
     */
    TDES_SESSION_KEYS(0x03, Tdes.BLOCK, CbcSeal.IV);

    private final int workKeyMode;
    private final int block;
    private final int iv;

    TmsCipher(int workKeyMode, int block, int iv) {
        this.workKeyMode = workKeyMode;
        this.block = block;
        this.iv = iv;
    }

    /** DF15 of the H1 answer: {@code 01} TDES-ECB, {@code 02} SM4-ECB (posgate's value). */
    public int workKeyMode() {
        return workKeyMode;
    }

    /** The family of a DF15 value, or null. */
    public static TmsCipher ofWorkKeyMode(int mode) {
        for (TmsCipher c : values()) if (c.workKeyMode == mode) return c;
        return null;
    }

    /** Whether the session uses separate MAC and data keys sent under the DWK (work-key mode {@code 03}). */
    public boolean sessionKeys() {
        return this == TDES_SESSION_KEYS;
    }

    /** The algorithm family: TDES for both TDES modes. */
    public boolean sm4() {
        return this == SM4;
    }

    /** The block size the sealed plaintext is padded to. */
    public int block() {
        return block;
    }

    public int ivLength() {
        return iv;
    }

    /** TAC/SAC: leftmost 4 bytes of the CBC-MAC (zero IV, zero padding) under the DWK. */
    public byte[] tac(byte[] dwk, byte[] data) {
        return this == SM4 ? Macs.sm4Tac(dwk, data) : Macs.tac(dwk, data);
    }

    /** A key of the key message recovered from under the DWK (ECB). */
    public byte[] unwrap(byte[] kek, byte[] cryptogram) {
        return this == SM4 ? Sm4.decryptEcb(kek, cryptogram) : Tdes.decryptEcb(kek, cryptogram);
    }

    /** The leftmost {@code length} bytes of the key's check value (SM4-ECB or TDES-ECB of zeros). */
    public byte[] kcv(byte[] key, int length) {
        return this == SM4 ? Kcv.ofSm4(key, length) : Kcv.of(key, length);
    }

    /** {@code IV ‖ CBC(K, IV, P) ‖ MAC}; {@code padded} a multiple of {@link #block()}. */
    public byte[] seal(byte[] dwk, byte[] iv, byte[] padded) {
        return this == SM4 ? Sm4CbcSeal.seal(dwk, iv, padded) : CbcSeal.seal(dwk, iv, padded);
    }

    /** The padded plaintext; {@link dev.posgate.crypto.IntegrityException} on a bad MAC. */
    public byte[] open(byte[] dwk, byte[] body) {
        return this == SM4 ? Sm4CbcSeal.open(dwk, body) : CbcSeal.open(dwk, body);
    }

    /** {@code IV ‖ CBC(dataKey, IV, P) ‖ MAC(macKey, IV ‖ C)}: one key for both in modes 01 and 02. */
    public byte[] seal(byte[] dataKey, byte[] macKey, byte[] iv, byte[] padded) {
        if (this == SM4) {
            if (!java.util.Arrays.equals(dataKey, macKey)) throw new IllegalArgumentException("SM4 sessions seal under the DWK alone");
            return Sm4CbcSeal.seal(dataKey, iv, padded);
        }
        return CbcSeal.seal(dataKey, macKey, iv, padded);
    }

    /** The padded plaintext of a body sealed by {@link #seal(byte[], byte[], byte[], byte[])}. */
    public byte[] open(byte[] dataKey, byte[] macKey, byte[] body) {
        if (this == SM4) {
            if (!java.util.Arrays.equals(dataKey, macKey)) throw new IllegalArgumentException("SM4 sessions seal under the DWK alone");
            return Sm4CbcSeal.open(dataKey, body);
        }
        return CbcSeal.open(dataKey, macKey, body);
    }
}
