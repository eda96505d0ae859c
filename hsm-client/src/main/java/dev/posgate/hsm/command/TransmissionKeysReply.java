package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/** ZJ. */
public record TransmissionKeysReply(LmkKey tek, Kcv tekKcv, LmkKey auk, Kcv aukKcv) implements HsmReply {
    public TransmissionKeysReply {
        Objects.requireNonNull(tek, "tek");
        Objects.requireNonNull(tekKcv, "tekKcv");
        Objects.requireNonNull(auk, "auk");
        Objects.requireNonNull(aukKcv, "aukKcv");
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(tek).hex(tekKcv.bytes()).key(auk).hex(aukKcv.bytes());
    }
}
