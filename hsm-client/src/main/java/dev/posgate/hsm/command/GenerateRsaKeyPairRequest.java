package dev.posgate.hsm.command;

import dev.posgate.hsm.RsaKeyUsage;
import java.util.Objects;

/**
 * EI generate an RSA key pair.
 *
 * <pre>
 * EI keyTypeIndicator(1N: 0 signature, 1 key management, 2 both) modulusBits(4N: 1024..4096,
 *    multiple of 8) publicKeyEncoding(2N: 01 = DER, unsigned)
 * EJ error(2) publicKey(DER SubjectPublicKeyInfo, nB) privateKeyLength(4N) privateKey(nB, under LMK)
 * </pre>
 * The client also reads a PKCS#1 {@code RSAPublicKey} in EJ, payShield's form, as the equivalent
 * SubjectPublicKeyInfo, and a private key length of {@code FFFF} followed by a key block (a
 * payShield with a key-block LMK; ut-codec-payshield test/config/test.js generateRsaKeyPairDecode
 * case 1). The request is the public one of ut-codec-payshield's generateRsaKeyPairEncode case 0
 * ({@code EI1204801}); the key-block LMK fields ({@code %}LMK id, {@code #}version, optional
 * blocks, {@code &}exportability) are not sent.
 */
public record GenerateRsaKeyPairRequest(RsaKeyUsage usage, int bits) implements HsmRequest<RsaKeyPairReply> {
    public static final int MIN_BITS = 1024;
    public static final int MAX_BITS = 4096;

    public GenerateRsaKeyPairRequest {
        Objects.requireNonNull(usage, "usage");
        if (bits < MIN_BITS || bits > MAX_BITS || bits % 8 != 0) {
            throw new IllegalArgumentException("modulus must be 1024..4096 bits, multiple of 8: " + bits);
        }
    }

    @Override
    public String commandCode() {
        return "EI";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ch(usage.code()).decimal(bits, 4).ascii("01");
    }

    public static GenerateRsaKeyPairRequest read(FieldReader r) {
        RsaKeyUsage usage = RsaKeyUsage.ofCode(r.ch("key type indicator"));
        if (usage == null) {
            throw new FieldException("15", "unsupported key type indicator");
        }
        int bits = r.decimal(4, "modulus length");
        if (bits < MIN_BITS || bits > MAX_BITS || bits % 8 != 0) {
            throw new FieldException("76", "modulus length must be 1024..4096, multiple of 8");
        }
        if (!r.ascii(2, "public key encoding").equals("01")) {
            throw new FieldException("15", "only public key encoding 01 (DER) is supported");
        }
        r.expectEnd();
        return new GenerateRsaKeyPairRequest(usage, bits);
    }

    @Override
    public RsaKeyPairReply readReply(FieldReader r) {
        byte[] pub = RsaPublicKeys.asSubjectPublicKeyInfo(r.derSequence("public key"));
        dev.posgate.hsm.LmkPrivateKey priv = r.privateKey("private key");
        r.expectEnd();
        return new RsaKeyPairReply(pub, priv);
    }
}
