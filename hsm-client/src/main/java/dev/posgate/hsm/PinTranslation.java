package dev.posgate.hsm;

import dev.posgate.crypto.Hex;
import java.util.Objects;

/** Result of a PIN translation: PIN length, the PIN block under the destination key, its format. */
public record PinTranslation(int pinLength, byte[] pinBlock, PinBlockFormat format) {
    public PinTranslation {
        Objects.requireNonNull(pinBlock, "pinBlock");
        Objects.requireNonNull(format, "format");
        pinBlock = pinBlock.clone();
    }

    @Override
    public byte[] pinBlock() {
        return pinBlock.clone();
    }

    @Override
    public String toString() {
        return "PinTranslation[length=" + pinLength + ", block=" + Hex.encode(pinBlock) + ", " + format + "]";
    }
}
