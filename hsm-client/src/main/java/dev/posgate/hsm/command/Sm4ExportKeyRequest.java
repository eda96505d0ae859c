package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.WrappedKey;
import dev.posgate.hsm.Wrapping;
import java.util.Objects;

/**
 * ST export an SM4 key from LMK encryption to a ZMK or TMK (SM4 or TDES). Code and field order of
 * the ST command of Racal-compatible Chinese HSMs; the {@code ;} flag is posgate's addition,
 * written only for a TMK. Needs the authorised state, as A8.
 *
 * <pre>
 * ST keyType(3H) [';' flag(1N: 0 ZMK | 1 TMK)] kek(P+32H | U+32H | T+48H) key(P+32H)
 * SU error(2) keyUnderKek(P+32H) kcv(16H)
 * </pre>
 */
public record Sm4ExportKeyRequest(KeyType keyType, Wrapping wrapping, LmkKey kek, LmkKey key)
        implements HsmRequest<Sm4ExportKeyRequest.Reply> {

    public Sm4ExportKeyRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(wrapping, "wrapping");
        Objects.requireNonNull(kek, "kek");
        Objects.requireNonNull(key, "key");
        Fields.requireSm4Wrapping(wrapping);
    }

    @Override
    public String commandCode() {
        return "ST";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(keyType.code());
        Fields.writeSm4Wrapping(w, wrapping);
        w.key(kek).key(key);
    }

    public static Sm4ExportKeyRequest read(FieldReader r) {
        KeyType type = Fields.keyType(r, "04");
        Wrapping wrapping = Fields.sm4Wrapping(r);
        LmkKey kek = r.anyLmkKey("ZMK/TMK");
        LmkKey key = r.sm4LmkKey("SM4 key");
        r.expectEnd();
        return new Sm4ExportKeyRequest(type, wrapping, kek, key);
    }

    @Override
    public Reply readReply(FieldReader r) {
        WrappedKey k = r.sm4WrappedKey("key under KEK");
        Kcv kcv = Fields.kcv(r, Sm4KeyReply.KCV_BYTES);
        r.expectEnd();
        return new Reply(k, kcv);
    }

    /** SU: the key under the KEK and its 16H check value. */
    public record Reply(WrappedKey key, Kcv kcv) implements HsmReply {
        public Reply {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(kcv, "kcv");
        }

        @Override
        public void writeFields(FieldWriter w) {
            w.key(key).hex(kcv.bytes());
        }
    }
}
