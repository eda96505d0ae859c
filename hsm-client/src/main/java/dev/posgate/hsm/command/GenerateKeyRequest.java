package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.Wrapping;
import java.util.Objects;

/**
 * A0 generate a key; mode 0 (under the LMK only) when {@code wrapping} is null, mode 1 (also
 * under a ZMK/TMK/DMK/DWK) otherwise.
 *
 * <pre>
 * A0 mode(1) keyType(3H) schemeLMK(1A)
 *    [mode 1: [';' flag(1N)] kek(1A+nH) exportScheme(1A)]
 *    [';' schemeLMK(1A) kcvType(1N)]
 * A1 error(2) key(1A+nH) [mode 1: keyUnderKek(1A+nH)] kcv(6H | 16H)
 * </pre>
 */
public record GenerateKeyRequest(KeyType keyType, KeyScheme lmkScheme, Wrapping wrapping,
        LmkKey wrappingKey, KeyScheme exportScheme, KcvType kcvType)
        implements HsmRequest<GenerateKeyReply> {

    public GenerateKeyRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(lmkScheme, "lmkScheme");
        if (!lmkScheme.isLmkScheme()) {
            throw new IllegalArgumentException("not an LMK scheme: " + lmkScheme);
        }
        if ((wrapping == null) != (wrappingKey == null) || (wrapping == null) != (exportScheme == null)) {
            throw new IllegalArgumentException("wrapping, wrappingKey and exportScheme go together");
        }
        if (exportScheme != null && !exportScheme.isKekScheme()) {
            throw new IllegalArgumentException("not an export scheme: " + exportScheme);
        }
    }

    /** Mode 0. */
    public static GenerateKeyRequest underLmk(KeyType type, KeyScheme scheme, KcvType kcvType) {
        return new GenerateKeyRequest(type, scheme, null, null, null, kcvType);
    }

    public boolean exports() {
        return wrapping != null;
    }

    public KcvType effectiveKcvType() {
        return kcvType == null ? KcvType.SHORT_6H : kcvType;
    }

    @Override
    public String commandCode() {
        return "A0";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ch(exports() ? '1' : '0').ascii(keyType.code()).ch(lmkScheme.tag());
        if (exports()) {
            w.ch(';').ch(wrapping.flag()).key(wrappingKey).ch(exportScheme.tag());
        }
        Fields.writeTrailingKcvType(w, lmkScheme, kcvType);
    }

    /** Parses the fields after the command code. */
    public static GenerateKeyRequest read(FieldReader r) {
        char mode = r.ch("mode");
        if (mode != '0' && mode != '1') {
            throw new FieldException("15", "unsupported mode " + mode);
        }
        KeyType type = Fields.keyType(r, "04");
        KeyScheme scheme = Fields.lmkScheme(r);
        Wrapping wrapping = null;
        LmkKey kek = null;
        KeyScheme exportScheme = null;
        if (mode == '1') {
            wrapping = Wrapping.ZMK;
            if (r.optional(';')) {
                wrapping = Wrapping.ofFlag(r.ch("ZMK/TMK flag"));
                if (wrapping == null) {
                    throw new FieldException("15", "invalid ZMK/TMK flag");
                }
            }
            kek = r.lmkKey("ZMK/TMK");
            exportScheme = Fields.kekScheme(r);
        }
        KcvType kcvType = Fields.trailingKcvType(r, scheme);
        r.expectEnd();
        return new GenerateKeyRequest(type, scheme, wrapping, kek, exportScheme, kcvType);
    }

    @Override
    public GenerateKeyReply readReply(FieldReader r) {
        return GenerateKeyReply.read(r, exports(), effectiveKcvType().bytes());
    }
}
