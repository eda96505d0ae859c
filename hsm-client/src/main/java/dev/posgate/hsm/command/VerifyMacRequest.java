package dev.posgate.hsm.command;

import java.util.Objects;
import java.util.function.Function;

/**
 * M8 verify a MAC: the M6 fields followed by the MAC (8H or 16H by the MAC size flag).
 * M9: error {@code 00} verified, {@code 01} verification failure. The same for a variant-LMK key
 * ({@code VerifyMacRequest<GenerateMacRequest>}) and a key block ({@code VerifyMacRequest<KeyBlockMacRequest>}).
 */
public record VerifyMacRequest<D extends MacFields>(D data, byte[] mac) implements HsmRequest<EmptyReply> {

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

    public static VerifyMacRequest<GenerateMacRequest> read(FieldReader r) {
        return read(r, GenerateMacRequest::readCommon);
    }

    /** M8 whose M6 fields {@code fields} reads (without expecting the end): then the MAC. */
    public static <D extends MacFields> VerifyMacRequest<D> read(FieldReader r, Function<FieldReader, D> fields) {
        D d = fields.apply(r);
        byte[] mac = r.hex(d.params().macLength() * 2, "MAC");
        r.expectEnd();
        return new VerifyMacRequest<>(d, mac);
    }

    @Override
    public EmptyReply readReply(FieldReader r) {
        return EmptyReply.read(r);
    }
}
