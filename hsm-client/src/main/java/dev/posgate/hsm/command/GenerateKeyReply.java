package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.WrappedKey;
import java.util.Objects;

/** A1 (and ZH): key under LMK, optional key under the KEK, KCV. */
public record GenerateKeyReply(LmkKey key, WrappedKey underWrapping, Kcv kcv) implements HsmReply {
    public GenerateKeyReply {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kcv, "kcv");
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(key);
        if (underWrapping != null) {
            w.key(underWrapping);
        }
        w.hex(kcv.bytes());
    }

    static GenerateKeyReply read(FieldReader r, boolean wrapped, int kcvBytes) {
        LmkKey key = r.lmkKey("key under LMK");
        WrappedKey w = wrapped ? r.wrappedKey("key under KEK") : null;
        Kcv kcv = Fields.kcv(r, kcvBytes);
        r.expectEnd();
        return new GenerateKeyReply(key, w, kcv);
    }
}
