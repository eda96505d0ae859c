package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * ZS (extension) generate, or ZU verify ({@code tac} non-null), a TMS TAC/SAC: leftmost 4 bytes
 * of the CBC-MAC, zero IV, zero padding, TDES under the DWK (DES for a legacy single-length DWK,
 * i.e. X9.9) — protocol.md section 3.
 *
 * <pre>
 * ZS dwk(1A+nH, type 30E) dataLength(4H) data(nB)
 * ZT error(2) tac(8H)
 * ZU dwk(1A+nH) dataLength(4H) data(nB) tac(8H)
 * ZV error(2)   (01 = mismatch)
 * </pre>
 */
public record TacRequest(LmkKey dwk, byte[] data, byte[] tac) implements HsmRequest<MacReply> {

    public TacRequest {
        Objects.requireNonNull(dwk, "dwk");
        Objects.requireNonNull(data, "data");
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("data too long");
        }
        if (tac != null && tac.length != 4) {
            throw new IllegalArgumentException("TAC is 4 bytes");
        }
        data = data.clone();
        tac = Fields.copy(tac);
    }

    public boolean isVerify() {
        return tac != null;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] tac() {
        return Fields.copy(tac);
    }

    @Override
    public String commandCode() {
        return isVerify() ? "ZU" : "ZS";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(dwk);
        Fields.writeHexLengthBytes(w, data);
        if (tac != null) {
            w.hex(tac);
        }
    }

    public static TacRequest read(FieldReader r, boolean verify) {
        LmkKey dwk = r.anyLmkKey("DWK");
        byte[] data = Fields.hexLengthBytes(r, "data");
        byte[] tac = verify ? r.hex(8, "TAC") : null;
        r.expectEnd();
        return new TacRequest(dwk, data, tac);
    }

    /** ZT: the TAC; ZV: empty. */
    @Override
    public MacReply readReply(FieldReader r) {
        if (isVerify()) {
            r.expectEnd();
            return new MacReply(new byte[0]);
        }
        return MacReply.read(r, 4);
    }
}
