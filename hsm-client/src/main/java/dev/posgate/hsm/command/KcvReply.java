package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import java.util.Objects;

/** BV: the key check value. */
public record KcvReply(Kcv kcv) implements HsmReply {
    public KcvReply {
        Objects.requireNonNull(kcv, "kcv");
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.hex(kcv.bytes());
    }

    static KcvReply read(FieldReader r, int bytes) {
        Kcv kcv = Fields.kcv(r, bytes);
        r.expectEnd();
        return new KcvReply(kcv);
    }
}
