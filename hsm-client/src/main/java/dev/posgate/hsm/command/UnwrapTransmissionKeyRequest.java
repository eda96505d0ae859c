package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkPrivateKey;
import java.util.Objects;

/**
 * ZI (extension) unwrap a K-flow transmission key block: RSA-OAEP (SHA-256) decryption with the
 * KMS private key, check of TEK ‖ AUK ‖ SHA-256(TEK ‖ AUK)[0..8] (protocol.md section 3), TEK
 * and AUK re-encrypted under the LMK (types 00E, 10E, scheme U, parity adjusted).
 *
 * <pre>
 * ZI privateKeyLength(4N) privateKey(nB) blockLength(4N) block(nB: RSA modulus length)
 * ZJ error(2) tek('U' + 32H) tekKcv(8H) auk('U' + 32H) aukKcv(8H)
 * </pre>
 * Error {@code 01}: the block does not decrypt or its hash does not match (one code for both).
 */
public record UnwrapTransmissionKeyRequest(LmkPrivateKey privateKey, byte[] block)
        implements HsmRequest<TransmissionKeysReply> {

    public UnwrapTransmissionKeyRequest {
        Objects.requireNonNull(privateKey, "privateKey");
        block = Fields.lengthPrefixedBlock(block);
    }

    @Override
    public byte[] block() {
        return block.clone();
    }

    @Override
    public String commandCode() {
        return "ZI";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.privateKey(privateKey).lengthPrefixed(block);
    }

    public static UnwrapTransmissionKeyRequest read(FieldReader r) {
        LmkPrivateKey pk = r.privateKey("private key");
        byte[] block = r.lengthPrefixed("TK block");
        r.expectEnd();
        return new UnwrapTransmissionKeyRequest(pk, block);
    }

    @Override
    public TransmissionKeysReply readReply(FieldReader r) {
        TransmissionKeysReply reply = new TransmissionKeysReply(r.lmkKey("TEK"), Fields.kcv(r, 4),
                r.lmkKey("AUK"), Fields.kcv(r, 4));
        r.expectEnd();
        return reply;
    }
}
