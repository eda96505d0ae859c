package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * Z0 (extension) seal, or Z2 open, a TMS download body under the session DWK in one command:
 * {@code IV ‖ TDES-CBC(DWK, IV, P) ‖ X9.19(DWK, IV ‖ C)} (protocol.md section 3). The HSM picks the
 * IV when sealing; opening verifies the MAC before anything is decrypted. These are the only data
 * commands a DWK is allowed (M0/M2/M6/M8 refuse type 30E), so the DWK cannot be used to decrypt
 * the key message it wraps.
 *
 * <pre>
 * Z0 dwk(1A+nH, type 30E) plaintextLength(4H) plaintext(nB, padded, multiple of 8)
 * Z1 error(2) bodyLength(4H) body(nB)
 * Z2 dwk(1A+nH) bodyLength(4H) body(nB, at least 24, multiple of 8)
 * Z3 error(2) plaintextLength(4H) plaintext(nB)   (01 = MAC mismatch)
 * </pre>
 */
public record SealedBodyRequest(LmkKey dwk, byte[] data, boolean open) implements HsmRequest<DataCipherReply> {

    public SealedBodyRequest {
        Objects.requireNonNull(dwk, "dwk");
        Objects.requireNonNull(data, "data");
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("data too long");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public String commandCode() {
        return open ? "Z2" : "Z0";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(dwk);
        Fields.writeHexLengthBytes(w, data);
    }

    public static SealedBodyRequest read(FieldReader r, boolean open) {
        LmkKey dwk = r.anyLmkKey("DWK");
        byte[] data = Fields.hexLengthBytes(r, open ? "body" : "plaintext");
        r.expectEnd();
        return new SealedBodyRequest(dwk, data, open);
    }

    /** Z1: the body; Z3: the padded plaintext. */
    @Override
    public DataCipherReply readReply(FieldReader r) {
        byte[] out = Fields.hexLengthBytes(r, open ? "plaintext" : "body");
        r.expectEnd();
        return new DataCipherReply(null, out, false);
    }
}
