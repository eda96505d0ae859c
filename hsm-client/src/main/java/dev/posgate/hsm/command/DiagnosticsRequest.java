package dev.posgate.hsm.command;

/**
 * NC perform diagnostics.
 *
 * <pre>
 * NC
 * ND error(2) lmkCheckValue(16H) firmwareNumber(9A)
 * </pre>
 */
public enum DiagnosticsRequest implements HsmRequest<DiagnosticsReply> {
    INSTANCE;

    @Override
    public String commandCode() {
        return "NC";
    }

    @Override
    public void writeFields(FieldWriter w) {
    }

    public static DiagnosticsRequest read(FieldReader r) {
        r.expectEnd();
        return INSTANCE;
    }

    @Override
    public DiagnosticsReply readReply(FieldReader r) {
        byte[] lmk = r.hex(16, "LMK check value");
        String fw = r.ascii(r.remaining(), "firmware number");
        return new DiagnosticsReply(dev.posgate.crypto.Hex.encode(lmk), fw);
    }
}
