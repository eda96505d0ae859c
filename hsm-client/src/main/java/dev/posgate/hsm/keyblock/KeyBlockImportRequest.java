package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmRequest;
import java.util.Objects;

/**
 * A6 import a TR-31 block received under a ZMK into a key under the key-block LMK. Layout of the
 * payShield 9000 A6 manual page shipped with ut-codec-payshield ({@code docs/A6_importKey.png},
 * "TR-31 keyblock ZMK → Keyblock LMK") and its key-block A6 sample ({@code A6FFF<zmk><key>S%01},
 * which imports payShield's own key block where this takes a TR-31 block {@code R}); the
 * {@code #} group (modified key usage, extra optional blocks) is not supported.
 *
 * <pre>
 * A6 'FFF' zmk(S…) key(R…) 'S' ['%' lmkId(2N)]
 * A7 error(2) key(S…) kcv(6H)
 * </pre>
 *
 * <p>The imported key keeps the attributes of the TR-31 header (key usage, algorithm, mode of
 * use, version, exportability, optional blocks). Without {@code %} the default LMK is meant.
 */
public record KeyBlockImportRequest(KeyBlockKey zmk, KeyBlockKey key, String lmkId)
        implements HsmRequest<KeyBlockReply> {

    public KeyBlockImportRequest {
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(key, "key");
        if (zmk.scheme() != KeyBlockKey.UNDER_LMK || key.scheme() != KeyBlockKey.TR31) {
            throw new IllegalArgumentException("the ZMK is an S key, the imported key an R block");
        }
        if (lmkId != null && lmkId.length() != 2) {
            throw new IllegalArgumentException("LMK identifier is 2 digits");
        }
    }

    @Override
    public String commandCode() {
        return "A6";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii("FFF");
        zmk.write(w);
        key.write(w);
        w.ch('S');
        if (lmkId != null) {
            w.ch('%').ascii(lmkId);
        }
    }

    /** True when an A6 request is a key-block one: key type {@code FFF}. */
    public static boolean isKeyBlock(byte[] command) {
        return KeyBlockExportRequest.isKeyBlock(command);
    }

    public static KeyBlockImportRequest read(FieldReader r) {
        if (!r.ascii(3, "key type").equals("FFF")) {
            throw new FieldException("04", "key-block A6 needs key type FFF");
        }
        KeyBlockKey zmk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "ZMK");
        KeyBlockKey key = KeyBlockKey.read(r, KeyBlockKey.TR31, "key");
        if (r.ch("key scheme (LMK)") != 'S') {
            throw new FieldException("26", "key scheme (LMK) must be S");
        }
        String lmkId = r.optional('%') ? r.ascii(2, "LMK identifier") : null;
        r.expectEnd();
        return new KeyBlockImportRequest(zmk, key, lmkId);
    }

    @Override
    public KeyBlockReply readReply(FieldReader r) {
        return KeyBlockReply.read(r, KeyBlockKey.UNDER_LMK, false);
    }
}
