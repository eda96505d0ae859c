package dev.posgate.hsm.command;

import java.util.Objects;

/** ND. */
public record DiagnosticsReply(String lmkCheckValue, String firmware) implements HsmReply {
    public DiagnosticsReply {
        Objects.requireNonNull(lmkCheckValue, "lmkCheckValue");
        Objects.requireNonNull(firmware, "firmware");
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(lmkCheckValue).ascii(firmware);
    }
}
