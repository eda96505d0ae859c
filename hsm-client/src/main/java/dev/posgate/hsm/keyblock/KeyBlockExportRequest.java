package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmRequest;
import java.util.Objects;

/**
 * A8 export a key under the key-block LMK as a TR-31 block under a ZMK (posgate's layout after
 * the variant A8: key type, ZMK, key, export scheme; no public payShield key-block A8 sample was
 * found).
 *
 * <pre>
 * A8 'FFF' zmk(S…) key(S…) 'R'
 * A9 error(2) key(R…) kcv(6H)
 * </pre>
 */
public record KeyBlockExportRequest(KeyBlockKey zmk, KeyBlockKey key) implements HsmRequest<KeyBlockReply> {

    public KeyBlockExportRequest {
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(key, "key");
        if (zmk.scheme() != KeyBlockKey.UNDER_LMK || key.scheme() != KeyBlockKey.UNDER_LMK) {
            throw new IllegalArgumentException("ZMK and key must be keys under the LMK (S)");
        }
    }

    @Override
    public String commandCode() {
        return "A8";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii("FFF");
        zmk.write(w);
        key.write(w);
        w.ch(KeyBlockKey.TR31);
    }

    /** True when an A8 request is a key-block one: key type {@code FFF}. */
    public static boolean isKeyBlock(byte[] command) {
        return command.length >= 5 && command[2] == 'F' && command[3] == 'F' && command[4] == 'F';
    }

    public static KeyBlockExportRequest read(FieldReader r) {
        if (!r.ascii(3, "key type").equals("FFF")) {
            throw new FieldException("04", "key-block A8 needs key type FFF");
        }
        KeyBlockKey zmk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "ZMK");
        KeyBlockKey key = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "key");
        if (r.ch("export key scheme") != KeyBlockKey.TR31) {
            throw new FieldException("26", "export key scheme must be R (TR-31)");
        }
        r.expectEnd();
        return new KeyBlockExportRequest(zmk, key);
    }

    @Override
    public KeyBlockReply readReply(FieldReader r) {
        return KeyBlockReply.read(r, KeyBlockKey.TR31, false);
    }
}
