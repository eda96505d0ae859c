package dev.posgate.hsm.command;

import java.util.Objects;

/** M1 / M3: optional chaining IV, then the result data. */
public record DataCipherReply(byte[] iv, byte[] data, boolean hexOutput) implements HsmReply {
    public DataCipherReply {
        Objects.requireNonNull(data, "data");
        iv = Fields.copy(iv);
        data = data.clone();
    }

    @Override
    public byte[] iv() {
        return Fields.copy(iv);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public void writeFields(FieldWriter w) {
        if (iv != null) {
            w.hex(iv);
        }
        if (hexOutput) {
            w.hexNumber(data.length * 2, 4).hex(data);
        } else {
            w.hexNumber(data.length, 4).bytes(data);
        }
    }
}
