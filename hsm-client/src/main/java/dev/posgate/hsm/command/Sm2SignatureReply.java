package dev.posgate.hsm.command;

import java.util.Objects;

/** K4: the SM2 signature {@code r ‖ s}, 64 raw bytes. */
public record Sm2SignatureReply(byte[] signature) implements HsmReply {
    public Sm2SignatureReply {
        Objects.requireNonNull(signature, "signature");
        if (signature.length != 64) {
            throw new IllegalArgumentException("an SM2 signature is 64 bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.bytes(signature);
    }
}
