package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * ZK (extension) the KMS's proof of AUK over the terminal's random, DF23 =
 * TDES-ECB(AUK ⊕ (4B × 16), Rnd1); or ZM ({@code cryptogram} non-null) check the terminal's proof
 * over the KMS's random, DF24 = TDES-ECB(AUK ⊕ (54 × 16), Rnd2). The HSM fixes the direction per
 * command (crypto {@code AukProof}): ZK never computes a terminal proof and ZM never checks a KMS
 * proof, so neither command is an oracle for the other side. Randoms are not secrets. An SM4 AUK
 * (scheme {@code P}, SM4 terminals) takes 16-byte randoms and gives SM4-ECB(AUK ⊕ variant, random).
 *
 * <pre>
 * ZK auk(1A+nH, type 10E) random(16H | 32H)
 * ZL error(2) cryptogram(16H | 32H)
 * ZM auk(1A+nH) random(16H | 32H) cryptogram(16H | 32H)
 * ZN error(2)   (01 = mismatch)
 * </pre>
 */
public record AukRandomRequest(LmkKey auk, byte[] random, byte[] cryptogram) implements HsmRequest<MacReply> {

    public AukRandomRequest {
        Objects.requireNonNull(auk, "auk");
        Objects.requireNonNull(random, "random");
        int n = blockOf(auk);
        if (random.length != n || (cryptogram != null && cryptogram.length != n)) {
            throw new IllegalArgumentException("random and cryptogram are " + n + " bytes");
        }
        random = random.clone();
        cryptogram = Fields.copy(cryptogram);
    }

    /** The random's and the proof's length: 8 (TDES AUK), 16 (SM4 AUK, scheme P; one SM4 block). */
    public static int blockOf(LmkKey auk) {
        return auk.algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4 ? 16 : 8;
    }

    public boolean isVerify() {
        return cryptogram != null;
    }

    @Override
    public byte[] random() {
        return random.clone();
    }

    @Override
    public byte[] cryptogram() {
        return Fields.copy(cryptogram);
    }

    @Override
    public String commandCode() {
        return isVerify() ? "ZM" : "ZK";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(auk).hex(random);
        if (cryptogram != null) {
            w.hex(cryptogram);
        }
    }

    public static AukRandomRequest read(FieldReader r, boolean verify) {
        LmkKey auk = r.anyLmkKey("AUK");
        int n = blockOf(auk);
        byte[] rnd = r.hex(2 * n, "random");
        byte[] c = verify ? r.hex(2 * n, "cryptogram") : null;
        r.expectEnd();
        return new AukRandomRequest(auk, rnd, c);
    }

    /** ZL: the cryptogram; ZN: empty. */
    @Override
    public MacReply readReply(FieldReader r) {
        if (isVerify()) {
            r.expectEnd();
            return new MacReply(new byte[0]);
        }
        return MacReply.read(r, blockOf(auk));
    }
}
