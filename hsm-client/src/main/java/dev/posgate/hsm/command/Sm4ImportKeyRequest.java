package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.WrappedKey;
import java.util.Objects;

/**
 * SV import an SM4 key received under a ZMK (SM4 {@code P} or TDES {@code U}/{@code T}) into LMK
 * encryption. Code and field order of the SV command of Racal-compatible Chinese HSMs. Needs the
 * authorised state, as A6.
 *
 * <pre>
 * SV keyType(3H) zmk(P+32H | U+32H | T+48H) keyUnderZmk(P+32H)
 * SW error(2) key(P+32H) kcv(16H)
 * </pre>
 */
public record Sm4ImportKeyRequest(KeyType keyType, LmkKey zmk, WrappedKey key) implements HsmRequest<Sm4KeyReply> {

    public Sm4ImportKeyRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(key, "key");
        if (key.algorithm() != dev.posgate.hsm.KeyAlgorithm.SM4) {
            throw new IllegalArgumentException("the imported key must be an SM4 key (scheme P)");
        }
    }

    @Override
    public String commandCode() {
        return "SV";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(keyType.code()).key(zmk).key(key);
    }

    public static Sm4ImportKeyRequest read(FieldReader r) {
        KeyType type = Fields.keyType(r, "04");
        LmkKey zmk = r.anyLmkKey("ZMK");
        WrappedKey key = r.sm4WrappedKey("key under ZMK");
        r.expectEnd();
        return new Sm4ImportKeyRequest(type, zmk, key);
    }

    @Override
    public Sm4KeyReply readReply(FieldReader r) {
        return Sm4KeyReply.read(r, false);
    }
}
