package dev.posgate.protocol.tms.download;

import dev.posgate.crypto.IntegrityException;
import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.TmsCipher;
import java.util.List;

/** Seals and opens download bodies with a clear DWK of the terminal's cipher family: the terminal side (the PIN pad's job). */
public final class SoftSeal {
    /** A body whose MAC does not verify, or whose plaintext is not padded TLVs. */
    public static final class BadSealException extends SecurityException {
        private static final long serialVersionUID = 1L;

        public BadSealException(String message) {
            super(message);
        }
    }

    private final byte[] dataKey;
    private final byte[] macKey;
    private final RandomSource random;
    private final TmsCipher cipher;

    public SoftSeal(byte[] dwk, RandomSource random) {
        this(dwk, random, TmsCipher.TDES);
    }

    public SoftSeal(byte[] dwk, RandomSource random, TmsCipher cipher) {
        this(dwk, dwk, random, cipher);
    }

    /** Role-separated keys (mode 03): CBC under {@code dataKey}, the MAC under {@code macKey}. */
    public SoftSeal(byte[] dataKey, byte[] macKey, RandomSource random, TmsCipher cipher) {
        this.dataKey = dataKey.clone();
        this.macKey = macKey.clone();
        this.random = random;
        this.cipher = cipher;
    }

    public TmsCipher cipher() {
        return cipher;
    }

    public byte[] seal(List<Tlv> tlvs) {
        return cipher.seal(dataKey, macKey, random.next(cipher.ivLength()), SealedBody.plaintext(tlvs, cipher));
    }

    public List<Tlv> open(byte[] body) {
        byte[] plain;
        try {
            plain = cipher.open(dataKey, macKey, body);
        } catch (IntegrityException | IllegalArgumentException e) {
            throw new BadSealException(e.getMessage());
        }
        try {
            return SealedBody.tlvs(plain, cipher);
        } catch (IllegalArgumentException e) {
            throw new BadSealException("sealed body does not decrypt to padded TLVs");
        }
    }
}
