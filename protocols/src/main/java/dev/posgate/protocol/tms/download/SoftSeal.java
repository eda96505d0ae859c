package dev.posgate.protocol.tms.download;

import dev.posgate.crypto.CbcSeal;
import dev.posgate.crypto.IntegrityException;
import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.tlv.Tlv;
import java.util.List;

/** Seals and opens download bodies with a clear DWK: the terminal side (the PIN pad's job). */
public final class SoftSeal {
    /** A body whose MAC does not verify, or whose plaintext is not padded TLVs. */
    public static final class BadSealException extends SecurityException {
        private static final long serialVersionUID = 1L;

        public BadSealException(String message) {
            super(message);
        }
    }

    private final byte[] dwk;
    private final RandomSource random;

    public SoftSeal(byte[] dwk, RandomSource random) {
        this.dwk = dwk.clone();
        this.random = random;
    }

    public byte[] seal(List<Tlv> tlvs) {
        return CbcSeal.seal(dwk, random.next(CbcSeal.IV), SealedBody.plaintext(tlvs));
    }

    public List<Tlv> open(byte[] body) {
        byte[] plain;
        try {
            plain = CbcSeal.open(dwk, body);
        } catch (IntegrityException | IllegalArgumentException e) {
            throw new BadSealException(e.getMessage());
        }
        try {
            return SealedBody.tlvs(plain);
        } catch (IllegalArgumentException e) {
            throw new BadSealException("sealed body does not decrypt to padded TLVs");
        }
    }
}
