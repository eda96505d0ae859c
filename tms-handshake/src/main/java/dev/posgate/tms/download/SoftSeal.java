package dev.posgate.tms.download;

import dev.posgate.crypto.Macs;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
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
        byte[] iv = random.next(SealedBody.IV);
        byte[] ct = Tdes.encryptCbc(dwk, iv, SealedBody.plaintext(tlvs));
        return SealedBody.assemble(iv, ct, Macs.x919(dwk, SealedBody.concat(iv, ct)));
    }

    public List<Tlv> open(byte[] body) {
        SealedBody.Parts p = SealedBody.split(body);
        if (!Macs.verify(Macs.x919(dwk, p.macInput()), p.mac())) throw new BadSealException("sealed body MAC mismatch");
        try {
            return SealedBody.tlvs(Tdes.decryptCbc(dwk, p.iv(), p.ciphertext()));
        } catch (IllegalArgumentException e) {
            throw new BadSealException("sealed body does not decrypt to padded TLVs");
        }
    }
}
