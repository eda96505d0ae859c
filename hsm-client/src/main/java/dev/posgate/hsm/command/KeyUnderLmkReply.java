package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/** A7 / GJ / ZX: key under LMK and its KCV. */
public record KeyUnderLmkReply(LmkKey key, Kcv kcv) implements HsmReply {
    public KeyUnderLmkReply {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kcv, "kcv");
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(key).hex(kcv.bytes());
    }

    /** An SM4 key ({@code P}) under the LMK and its KCV (ZX of an SM4 ceremony). */
    static KeyUnderLmkReply readSm4(FieldReader r, int kcvBytes) {
        LmkKey key = r.sm4LmkKey("SM4 key under LMK");
        Kcv kcv = Fields.kcv(r, kcvBytes);
        r.expectEnd();
        return new KeyUnderLmkReply(key, kcv);
    }

    static KeyUnderLmkReply read(FieldReader r, int kcvBytes) {
        LmkKey key = r.lmkKey("key under LMK");
        Kcv kcv = Fields.kcv(r, kcvBytes);
        r.expectEnd();
        return new KeyUnderLmkReply(key, kcv);
    }
}
