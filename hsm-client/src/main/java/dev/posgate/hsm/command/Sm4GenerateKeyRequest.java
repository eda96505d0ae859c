package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.Wrapping;
import java.util.Objects;

/**
 * WI generate an SM4 key under the LMK (mode 0) and, in mode 1, also under a ZMK or TMK that is
 * itself SM4 ({@code P}) or TDES ({@code U}/{@code T}). Code and field order of the WI command of
 * Racal-compatible Chinese HSMs (docs/hsm-protocol.md, "SM commands"); the {@code ;} flag is
 * posgate's addition, written only for a TMK.
 *
 * <pre>
 * WI mode(1N: 0 | 1) keyType(3H) [mode 1: [';' flag(1N: 0 ZMK | 1 TMK | 2 DMK | 3 DWK)] kek(P+32H | U+32H | T+48H)]
 * WJ error(2) key(P+32H) [mode 1: keyUnderKek(P+32H)] kcv(16H)
 * </pre>
 */
public record Sm4GenerateKeyRequest(KeyType keyType, Wrapping wrapping, LmkKey kek)
        implements HsmRequest<Sm4KeyReply> {

    public Sm4GenerateKeyRequest {
        Objects.requireNonNull(keyType, "keyType");
        if ((wrapping == null) != (kek == null)) {
            throw new IllegalArgumentException("wrapping and kek go together");
        }
        if (wrapping != null) {
            Fields.requireSm4Wrapping(wrapping);
        }
    }

    /** Mode 0. */
    public static Sm4GenerateKeyRequest underLmk(KeyType type) {
        return new Sm4GenerateKeyRequest(type, null, null);
    }

    public boolean exports() {
        return wrapping != null;
    }

    @Override
    public String commandCode() {
        return "WI";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ch(exports() ? '1' : '0').ascii(keyType.code());
        if (exports()) {
            Fields.writeSm4Wrapping(w, wrapping);
            w.key(kek);
        }
    }

    public static Sm4GenerateKeyRequest read(FieldReader r) {
        char mode = r.ch("mode");
        if (mode != '0' && mode != '1') {
            throw new FieldException("15", "unsupported mode " + mode);
        }
        KeyType type = Fields.keyType(r, "04");
        Wrapping wrapping = null;
        LmkKey kek = null;
        if (mode == '1') {
            wrapping = Fields.sm4Wrapping(r);
            kek = r.anyLmkKey("ZMK/TMK");
        }
        r.expectEnd();
        return new Sm4GenerateKeyRequest(type, wrapping, kek);
    }

    @Override
    public Sm4KeyReply readReply(FieldReader r) {
        return Sm4KeyReply.read(r, exports());
    }
}
