package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.WrappedKey;
import java.util.Objects;

/**
 * A6 import a key from ZMK to LMK encryption.
 *
 * <pre>
 * A6 keyType(3H) zmk(1A+nH) keyUnderZmk(1A+nH) schemeLMK(1A) [';' schemeLMK(1A) kcvType(1N)]
 * A7 error(2) key(1A+nH) kcv(6H | 16H)
 * </pre>
 */
public record ImportKeyRequest(KeyType keyType, LmkKey zmk, WrappedKey key, KeyScheme lmkScheme,
        KcvType kcvType) implements HsmRequest<KeyUnderLmkReply> {

    public ImportKeyRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lmkScheme, "lmkScheme");
        if (!lmkScheme.isLmkScheme()) {
            throw new IllegalArgumentException("not an LMK scheme: " + lmkScheme);
        }
    }

    public KcvType effectiveKcvType() {
        return kcvType == null ? KcvType.SHORT_6H : kcvType;
    }

    @Override
    public String commandCode() {
        return "A6";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(keyType.code()).key(zmk).key(key).ch(lmkScheme.tag());
        Fields.writeTrailingKcvType(w, lmkScheme, kcvType);
    }

    public static ImportKeyRequest read(FieldReader r) {
        KeyType type = Fields.keyType(r, "04");
        LmkKey zmk = r.lmkKey("ZMK");
        WrappedKey key = r.wrappedKey("key under ZMK");
        KeyScheme scheme = Fields.lmkScheme(r);
        KcvType kcvType = Fields.trailingKcvType(r, scheme);
        r.expectEnd();
        return new ImportKeyRequest(type, zmk, key, scheme, kcvType);
    }

    @Override
    public KeyUnderLmkReply readReply(FieldReader r) {
        return KeyUnderLmkReply.read(r, effectiveKcvType().bytes());
    }
}
