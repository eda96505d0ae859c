package dev.posgate.tms.download;

import dev.posgate.crypto.Padding;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import java.util.Arrays;
import java.util.List;

/**
 * The download-phase sealed body (protocol.md section 3): {@code IV (8) ‖ TDES-CBC(DWK, IV, TLVs
 * ‖ 80 ‖ 00…) ‖ MAC (8)}, MAC = X9.19 under the DWK over {@code IV ‖ ciphertext}. This class
 * only lays the bytes out; the cipher and MAC run wherever the DWK is ({@link SoftSeal} on the
 * terminal, the HSM in the gateway).
 */
public final class SealedBody {
    public static final int IV = 8;
    public static final int MAC = 8;

    /** The three parts of a sealed body. */
    public record Parts(byte[] iv, byte[] ciphertext, byte[] mac) {
        /** What the MAC covers: IV ‖ ciphertext. */
        public byte[] macInput() {
            return concat(iv, ciphertext);
        }
    }

    private SealedBody() {}

    /** The plaintext to encrypt: TLVs padded ISO 9797-1 method 2. */
    public static byte[] plaintext(List<Tlv> tlvs) {
        return Padding.iso9797Method2(BerTlv.encode(tlvs));
    }

    /** The TLVs of a decrypted plaintext; bad padding is {@link IllegalArgumentException}. */
    public static List<Tlv> tlvs(byte[] plaintext) {
        return BerTlv.decode(Padding.unpadIso9797Method2(plaintext));
    }

    /** Splits a body already checked for shape by {@code TmsMessage} (≥ 24, multiple of 8). */
    public static Parts split(byte[] body) {
        return new Parts(Arrays.copyOfRange(body, 0, IV), Arrays.copyOfRange(body, IV, body.length - MAC),
                Arrays.copyOfRange(body, body.length - MAC, body.length));
    }

    /** What the MAC covers: IV ‖ ciphertext. */
    public static byte[] macInput(byte[] iv, byte[] ciphertext) {
        return concat(iv, ciphertext);
    }

    public static byte[] assemble(byte[] iv, byte[] ciphertext, byte[] mac) {
        return concat(concat(iv, ciphertext), mac);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
