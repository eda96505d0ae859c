package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.WrappedKey;
import java.util.Objects;

/** A9 / ZF / ZP: key under a key-encrypting key and its KCV. */
public record ExportKeyReply(WrappedKey key, Kcv kcv) implements HsmReply {
    public ExportKeyReply {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kcv, "kcv");
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(key).hex(kcv.bytes());
    }

    static ExportKeyReply read(FieldReader r, int kcvBytes) {
        WrappedKey key = r.wrappedKey("key under KEK");
        Kcv kcv = Fields.kcv(r, kcvBytes);
        r.expectEnd();
        return new ExportKeyReply(key, kcv);
    }
}
