package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkSm2PrivateKey;
import java.util.Objects;

/**
 * ZY (extension) open an SM2 K-flow transmission key block (SM4 terminals, docs/kms.md "K-flow
 * with SM2"): the block is {@code SM2(KMS_Pk, TEK) ‖ SM2(KMS_Pk, AUK)}, two {@code C1 ‖ C3 ‖ C2}
 * ciphertexts of 113 bytes; each is decrypted with the KMS's SM2 private key (usage 1 or 2) and its
 * 16-byte SM4 key re-encrypted under the LMK as TEK (00E) and AUK (10E), scheme {@code P}. The SM2
 * counterpart of ZI, and like it not an authorised-state command (WO is: it imports working keys).
 *
 * <pre>
 * ZY keyIndex(2N: 99) privateKeyLength(4N) privateKey(nB) blockLength(4N) block(226B)
 * ZZ error(2) tek('P' + 32H) tekKcv(8H) auk('P' + 32H) aukKcv(8H)
 * </pre>
 * Error {@code 01}: a ciphertext does not decrypt (C1 off the curve, C3 mismatch) or a plaintext is
 * not 16 bytes, one code for all; {@code 15} a block of another length.
 */
public record Sm2UnwrapTransmissionKeyRequest(LmkSm2PrivateKey privateKey, byte[] block)
        implements HsmRequest<TransmissionKeysReply> {
    /** One ciphertext: C1 (65) ‖ C3 (32) ‖ C2 (16). */
    public static final int CIPHERTEXT = 65 + 32 + 16;
    public static final int BLOCK = 2 * CIPHERTEXT;

    public Sm2UnwrapTransmissionKeyRequest {
        Objects.requireNonNull(privateKey, "privateKey");
        block = Fields.lengthPrefixedBlock(block);
    }

    @Override
    public byte[] block() {
        return block.clone();
    }

    @Override
    public String commandCode() {
        return "ZY";
    }

    @Override
    public void writeFields(FieldWriter w) {
        Fields.writeSm2PrivateKey(w, privateKey);
        w.lengthPrefixed(block);
    }

    public static Sm2UnwrapTransmissionKeyRequest read(FieldReader r) {
        LmkSm2PrivateKey key = Fields.sm2PrivateKey(r);
        byte[] block = r.lengthPrefixed("TK block");
        r.expectEnd();
        return new Sm2UnwrapTransmissionKeyRequest(key, block);
    }

    @Override
    public TransmissionKeysReply readReply(FieldReader r) {
        TransmissionKeysReply reply = new TransmissionKeysReply(r.sm4LmkKey("TEK"), Fields.kcv(r, 4),
                r.sm4LmkKey("AUK"), Fields.kcv(r, 4));
        r.expectEnd();
        return reply;
    }
}
