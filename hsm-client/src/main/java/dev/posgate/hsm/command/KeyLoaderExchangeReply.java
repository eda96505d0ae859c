package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import java.util.Objects;

/** ZR. */
public record KeyLoaderExchangeReply(byte[] block, Kcv tmkKcv) implements HsmReply {
    public KeyLoaderExchangeReply {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(tmkKcv, "tmkKcv");
        block = block.clone();
    }

    @Override
    public byte[] block() {
        return block.clone();
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.lengthPrefixed(block).hex(tmkKcv.bytes());
    }
}
