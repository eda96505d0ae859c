package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmRequest;
import java.util.Objects;

/**
 * A0 generate a key under the key-block LMK (key type {@code FFF}, scheme {@code S}), and with
 * mode 1 also export it under a ZMK as a TR-31 block (scheme {@code R}).
 *
 * <pre>
 * A0 mode(1N: 0|1) 'FFF' 'S' [mode 1: [';'] zmkFlag('0') zmk(S…) 'R'] '%' lmkId(2N) '#' attributes
 * A1 error(2) key(S…) [mode 1: key(R…)] kcv(6H)
 * </pre>
 *
 * <p>Mode 0 is byte for byte the ut-codec-payshield key-block A0 sample
 * ({@code A00FFFS%01#K0T2B00E00}); its mode-1 sample exports with scheme {@code S} (payShield's
 * own key block under the ZMK) where posgate uses {@code R} (TR-31, interoperable), and writes no
 * {@code ;} before the ZMK flag, which is therefore optional here.
 */
public record KeyBlockGenerateRequest(String lmkId, KeyBlockAttributes attributes, KeyBlockKey zmk)
        implements HsmRequest<KeyBlockReply> {

    public KeyBlockGenerateRequest {
        Objects.requireNonNull(lmkId, "lmkId");
        Objects.requireNonNull(attributes, "attributes");
        if (lmkId.length() != 2) {
            throw new IllegalArgumentException("LMK identifier is 2 digits");
        }
        if (zmk != null && zmk.scheme() != KeyBlockKey.UNDER_LMK) {
            throw new IllegalArgumentException("the ZMK must be a key under the LMK (S)");
        }
    }

    /** Generate under the LMK only. */
    public static KeyBlockGenerateRequest underLmk(String lmkId, KeyBlockAttributes attributes) {
        return new KeyBlockGenerateRequest(lmkId, attributes, null);
    }

    public boolean exports() {
        return zmk != null;
    }

    @Override
    public String commandCode() {
        return "A0";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ch(exports() ? '1' : '0').ascii("FFF").ch('S');
        if (exports()) {
            w.ch(';').ch('0');
            zmk.write(w);
            w.ch(KeyBlockKey.TR31);
        }
        w.ch('%').ascii(lmkId);
        attributes.write(w);
    }

    /** True when an A0 request (fields after the code) is a key-block one: {@code ?FFFS}. */
    public static boolean isKeyBlock(byte[] command) {
        return command.length >= 7 && command[3] == 'F' && command[4] == 'F' && command[5] == 'F' && command[6] == 'S';
    }

    public static KeyBlockGenerateRequest read(FieldReader r) {
        char mode = r.ch("mode");
        if (mode != '0' && mode != '1') {
            throw new FieldException("15", "key-block A0 mode must be 0 or 1");
        }
        if (!r.ascii(3, "key type").equals("FFF")) {
            throw new FieldException("04", "key-block A0 needs key type FFF");
        }
        if (r.ch("key scheme") != 'S') {
            throw new FieldException("26", "key-block A0 needs key scheme S");
        }
        KeyBlockKey zmk = null;
        if (mode == '1') {
            r.optional(';');
            if (r.ch("ZMK/TMK flag") != '0') {
                throw new FieldException("15", "only a ZMK (flag 0) is supported");
            }
            zmk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "ZMK");
            if (r.ch("export key scheme") != KeyBlockKey.TR31) {
                throw new FieldException("26", "export key scheme must be R (TR-31)");
            }
        }
        r.expect('%', "LMK identifier delimiter");
        String lmkId = r.ascii(2, "LMK identifier");
        KeyBlockAttributes attributes = KeyBlockAttributes.read(r);
        r.expectEnd();
        return new KeyBlockGenerateRequest(lmkId, attributes, zmk);
    }

    @Override
    public KeyBlockReply readReply(FieldReader r) {
        return KeyBlockReply.read(r, KeyBlockKey.UNDER_LMK, exports());
    }
}
