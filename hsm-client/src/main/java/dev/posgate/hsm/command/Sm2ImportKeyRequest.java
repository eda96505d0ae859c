package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkSm2PrivateKey;
import java.util.Objects;

/**
 * WO import an SM4 key encrypted under our SM2 public key (GB/T 32918.4, {@code C1 ‖ C3 ‖ C2},
 * plaintext the bare 16-byte key) into LMK encryption. Code and field order of the WO command of
 * Racal-compatible Chinese HSMs. Needs the authorised state, as GI.
 *
 * <pre>
 * WO keyIndex(2N: 99) privateKeyLength(4N) privateKey(nB) keyType(3H) ciphertextLength(4N) ciphertext(nB)
 * WP error(2) key(P+32H) kcv(16H)
 * </pre>
 */
public record Sm2ImportKeyRequest(LmkSm2PrivateKey privateKey, KeyType keyType, byte[] ciphertext)
        implements HsmRequest<Sm4KeyReply> {

    public Sm2ImportKeyRequest {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(keyType, "keyType");
        ciphertext = Fields.lengthPrefixedBlock(ciphertext);
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public String commandCode() {
        return "WO";
    }

    @Override
    public void writeFields(FieldWriter w) {
        Fields.writeSm2PrivateKey(w, privateKey);
        w.ascii(keyType.code()).lengthPrefixed(ciphertext);
    }

    public static Sm2ImportKeyRequest read(FieldReader r) {
        LmkSm2PrivateKey key = Fields.sm2PrivateKey(r);
        KeyType type = Fields.keyType(r, "04");
        byte[] c = r.lengthPrefixed("ciphertext");
        r.expectEnd();
        return new Sm2ImportKeyRequest(key, type, c);
    }

    @Override
    public Sm4KeyReply readReply(FieldReader r) {
        return Sm4KeyReply.read(r, false);
    }
}
