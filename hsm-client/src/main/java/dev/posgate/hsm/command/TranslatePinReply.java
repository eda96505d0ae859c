package dev.posgate.hsm.command;

import dev.posgate.hsm.PinBlockFormat;
import java.util.Objects;

/** CB / CD. */
public record TranslatePinReply(int pinLength, byte[] pinBlock, PinBlockFormat format) implements HsmReply {
    public TranslatePinReply {
        Objects.requireNonNull(pinBlock, "pinBlock");
        Objects.requireNonNull(format, "format");
        pinBlock = pinBlock.clone();
    }

    @Override
    public byte[] pinBlock() {
        return pinBlock.clone();
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.decimal(pinLength, 2).hex(pinBlock).ascii(format.code());
    }
}
