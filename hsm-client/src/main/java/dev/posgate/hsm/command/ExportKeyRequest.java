package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.Wrapping;
import java.util.Objects;

/**
 * A8 export a key from LMK to ZMK/TMK (or, extension flags, DMK/DWK) encryption.
 *
 * <pre>
 * A8 keyType(3H) [';' flag(1N)] kek(1A+nH) key(1A+nH) exportScheme(1A) [';' '0' kcvType(1N)]
 * A9 error(2) keyUnderKek(1A+nH) kcv(6H | 16H)
 * </pre>
 * posgate's layout always writes the flag group; the {@code standard} one (the public payShield
 * layout, HSM profile {@code payshield}) writes it only for a key other than a ZMK and has no
 * trailing check-value group (the reply's check value is the 6-hex default).
 */
public record ExportKeyRequest(KeyType keyType, Wrapping wrapping, LmkKey kek, LmkKey key,
        KeyScheme exportScheme, KcvType kcvType, boolean standard) implements HsmRequest<ExportKeyReply> {

    /** posgate's layout. */
    public ExportKeyRequest(KeyType keyType, Wrapping wrapping, LmkKey kek, LmkKey key, KeyScheme exportScheme,
            KcvType kcvType) {
        this(keyType, wrapping, kek, key, exportScheme, kcvType, false);
    }

    public ExportKeyRequest {
        if (standard && kcvType != null) {
            throw new IllegalArgumentException("the public A8 layout has no check-value type group");
        }
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(wrapping, "wrapping");
        Objects.requireNonNull(kek, "kek");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(exportScheme, "exportScheme");
        if (!exportScheme.isKekScheme()) {
            throw new IllegalArgumentException("not an export scheme: " + exportScheme);
        }
    }

    public KcvType effectiveKcvType() {
        return kcvType == null ? KcvType.SHORT_6H : kcvType;
    }

    @Override
    public String commandCode() {
        return "A8";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(keyType.code());
        if (!standard || wrapping != Wrapping.ZMK) {
            w.ch(';').ch(wrapping.flag());
        }
        w.key(kek).key(key).ch(exportScheme.tag());
        Fields.writeTrailingKcvType(w, null, kcvType);
    }

    public static ExportKeyRequest read(FieldReader r) {
        KeyType type = Fields.keyType(r, "04");
        Wrapping wrapping = Wrapping.ZMK;
        if (r.optional(';')) {
            wrapping = Wrapping.ofFlag(r.ch("ZMK/TMK flag"));
            if (wrapping == null) {
                throw new FieldException("15", "invalid ZMK/TMK flag");
            }
        }
        LmkKey kek = r.lmkKey("ZMK/TMK");
        LmkKey key = r.lmkKey("key");
        KeyScheme scheme = Fields.kekScheme(r);
        KcvType kcvType = Fields.trailingKcvType(r, null);
        r.expectEnd();
        return new ExportKeyRequest(type, wrapping, kek, key, scheme, kcvType);
    }

    @Override
    public ExportKeyReply readReply(FieldReader r) {
        return ExportKeyReply.read(r, effectiveKcvType().bytes());
    }
}
