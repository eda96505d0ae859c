package dev.posgate.hsm.command;

import java.util.Objects;

/** M7 / ZT: a MAC in hex. */
public record MacReply(byte[] mac) implements HsmReply {
    public MacReply {
        Objects.requireNonNull(mac, "mac");
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.hex(mac);
    }

    public static MacReply read(FieldReader r, int bytes) {
        byte[] m = r.hex(bytes * 2, "MAC");
        r.expectEnd();
        return new MacReply(m);
    }
}
