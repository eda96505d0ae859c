package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkSm2PrivateKey;
import dev.posgate.hsm.RsaKeyUsage;
import java.util.Arrays;
import java.util.Objects;

/**
 * K1 generate an SM2 key pair on sm2p256v1: the private key under the LMK, the public point in
 * clear. Code and field order of the K1 command of Racal-compatible Chinese HSMs (their client
 * sends usage {@code 3}, read here as "both").
 *
 * <pre>
 * K1 keyBits(4N: 0256) usage(1N: 0 signature | 1 key management | 2 both; 3 = 2) keyIndex(2N: 99)
 * K2 error(2) privateKeyLength(4N) privateKey(nB) publicKey(64B: x ‖ y)
 * </pre>
 */
public record Sm2GenerateKeyPairRequest(RsaKeyUsage usage) implements HsmRequest<Sm2GenerateKeyPairRequest.Reply> {
    public static final int KEY_BITS = 256;

    public Sm2GenerateKeyPairRequest {
        Objects.requireNonNull(usage, "usage");
    }

    @Override
    public String commandCode() {
        return "K1";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.decimal(KEY_BITS, 4).ch(usage.code()).ascii(Fields.EXTERNAL_KEY_INDEX);
    }

    public static Sm2GenerateKeyPairRequest read(FieldReader r) {
        if (r.decimal(4, "key length") != KEY_BITS) {
            throw new FieldException("76", "SM2 keys are 256 bits");
        }
        char u = r.ch("key usage");
        RsaKeyUsage usage = u == '3' ? RsaKeyUsage.BOTH : RsaKeyUsage.ofCode(u);
        if (usage == null) {
            throw new FieldException("15", "invalid key usage");
        }
        if (!r.ascii(2, "key index").equals(Fields.EXTERNAL_KEY_INDEX)) {
            throw new FieldException("15", "only key index 99 (not stored) is supported");
        }
        r.expectEnd();
        return new Sm2GenerateKeyPairRequest(usage);
    }

    @Override
    public Reply readReply(FieldReader r) {
        LmkSm2PrivateKey key = LmkSm2PrivateKey.of(r.lengthPrefixed("SM2 private key"));
        byte[] xy = r.bytes(64, "SM2 public key");
        r.expectEnd();
        byte[] point = new byte[65];
        point[0] = 0x04;
        System.arraycopy(xy, 0, point, 1, 64);
        return new Reply(key, point);
    }

    /** K2: the private key under the LMK and the public point {@code 04 ‖ x ‖ y} (x ‖ y on the wire). */
    public record Reply(LmkSm2PrivateKey privateKey, byte[] publicKey) implements HsmReply {
        public Reply {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(publicKey, "publicKey");
            if (publicKey.length != 65 || publicKey[0] != 0x04) {
                throw new IllegalArgumentException("public key must be an uncompressed point");
            }
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public void writeFields(FieldWriter w) {
            w.lengthPrefixed(privateKey.bytes()).bytes(Arrays.copyOfRange(publicKey, 1, 65));
        }
    }
}
