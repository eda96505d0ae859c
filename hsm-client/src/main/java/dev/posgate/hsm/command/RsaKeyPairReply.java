package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkPrivateKey;
import java.util.Objects;

/** EJ. */
public record RsaKeyPairReply(byte[] publicKeyDer, LmkPrivateKey privateKey) implements HsmReply {
    public RsaKeyPairReply {
        Objects.requireNonNull(publicKeyDer, "publicKeyDer");
        Objects.requireNonNull(privateKey, "privateKey");
        publicKeyDer = publicKeyDer.clone();
    }

    @Override
    public byte[] publicKeyDer() {
        return publicKeyDer.clone();
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.bytes(publicKeyDer).privateKey(privateKey);
    }
}
