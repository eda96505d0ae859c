package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * ZK (extension) the KMS's proof of AUK over the terminal's random, DF23 =
 * TDES-ECB(AUK ⊕ (4B × 16), Rnd1); or ZM ({@code cryptogram} non-null) check the terminal's proof
 * over the KMS's random, DF24 = TDES-ECB(AUK ⊕ (54 × 16), Rnd2). The HSM fixes the direction per
 * command (crypto {@code AukProof}): ZK never computes a terminal proof and ZM never checks a KMS
 * proof, so neither command is an oracle for the other side. Randoms are not secrets.
 *
 * <pre>
 * ZK auk(1A+nH, type 10E) random(16H)
 * ZL error(2) cryptogram(16H)
 * ZM auk(1A+nH) random(16H) cryptogram(16H)
 * ZN error(2)   (01 = mismatch)
 * </pre>
 */
public record AukRandomRequest(LmkKey auk, byte[] random, byte[] cryptogram) implements HsmRequest<MacReply> {

    public AukRandomRequest {
        Objects.requireNonNull(auk, "auk");
        Objects.requireNonNull(random, "random");
        if (random.length != 8 || (cryptogram != null && cryptogram.length != 8)) {
            throw new IllegalArgumentException("random and cryptogram are 8 bytes");
        }
        random = random.clone();
        cryptogram = Fields.copy(cryptogram);
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
        LmkKey auk = r.lmkKey("AUK");
        byte[] rnd = r.hex(16, "random");
        byte[] c = verify ? r.hex(16, "cryptogram") : null;
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
        return MacReply.read(r, 8);
    }
}
