package dev.posgate.hsm.command;

import java.util.Objects;

/**
 * M8 verify a MAC: the M6 fields followed by the MAC (8H or 16H by the MAC size flag).
 * M9: error {@code 00} verified, {@code 01} verification failure.
 */
public record VerifyMacRequest(GenerateMacRequest data, byte[] mac) implements HsmRequest<EmptyReply> {

    public VerifyMacRequest {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mac, "mac");
        if (mac.length != data.params().macLength()) {
            throw new IllegalArgumentException("MAC length " + mac.length + " != " + data.params().macLength());
        }
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public String commandCode() {
        return "M8";
    }

    @Override
    public void writeFields(FieldWriter w) {
        data.writeFields(w);
        w.hex(mac);
    }

    public static VerifyMacRequest read(FieldReader r) {
        GenerateMacRequest d = GenerateMacRequest.readCommon(r);
        byte[] mac = r.hex(d.params().macLength() * 2, "MAC");
        r.expectEnd();
        return new VerifyMacRequest(d, mac);
    }

    @Override
    public EmptyReply readReply(FieldReader r) {
        return EmptyReply.read(r);
    }
}
