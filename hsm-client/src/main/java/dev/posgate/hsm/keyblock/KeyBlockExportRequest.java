package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmRequest;
import java.util.Objects;

/**
 * A8 export a key under the key-block LMK as a TR-31 block under a ZMK. Layout of the payShield
 * 9000 A8 manual page shipped with ut-codec-payshield ({@code docs/A8_exportKey.png}, the
 * "Keyblock LMK → Keyblock ZMK" fields); a TMK ({@code ;1}), payShield's own key block under the
 * ZMK ({@code S}) and the Atalla variant are not supported.
 *
 * <pre>
 * A8 'FFF' [';' '0'] zmk(S…) key(S…) 'R' ['%' lmkId(2N)] ['&amp;' 'N'] ['!' tr31Version(1A)]
 * A9 error(2) key(R…) kcv(6H)
 * </pre>
 */
public record KeyBlockExportRequest(KeyBlockKey zmk, KeyBlockKey key, String lmkId, Character modifiedExportability,
        Character tr31Version) implements HsmRequest<KeyBlockReply> {

    /** The minimal form: no LMK identifier, no modifiers. */
    public KeyBlockExportRequest(KeyBlockKey zmk, KeyBlockKey key) {
        this(zmk, key, null, null, null);
    }

    public KeyBlockExportRequest {
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(key, "key");
        if (zmk.scheme() != KeyBlockKey.UNDER_LMK || key.scheme() != KeyBlockKey.UNDER_LMK) {
            throw new IllegalArgumentException("ZMK and key must be keys under the LMK (S)");
        }
        if (lmkId != null && lmkId.length() != 2) {
            throw new IllegalArgumentException("LMK identifier is 2 digits");
        }
        ExportModifiers.check(modifiedExportability, tr31Version);
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
        if (lmkId != null) {
            w.ch('%').ascii(lmkId);
        }
        ExportModifiers.write(w, modifiedExportability, tr31Version);
    }

    /** True when an A8 request is a key-block one: key type {@code FFF}. */
    public static boolean isKeyBlock(byte[] command) {
        return command.length >= 5 && command[2] == 'F' && command[3] == 'F' && command[4] == 'F';
    }

    public static KeyBlockExportRequest read(FieldReader r) {
        if (!r.ascii(3, "key type").equals("FFF")) {
            throw new FieldException("04", "key-block A8 needs key type FFF");
        }
        if (r.optional(';') && r.ch("ZMK/TMK flag") != '0') {
            throw new FieldException("15", "only a ZMK (flag 0) is supported");
        }
        KeyBlockKey zmk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "ZMK");
        KeyBlockKey key = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "key");
        if (r.ch("export key scheme") != KeyBlockKey.TR31) {
            throw new FieldException("26", "export key scheme must be R (TR-31)");
        }
        String lmkId = r.optional('%') ? r.ascii(2, "LMK identifier") : null;
        Character export = ExportModifiers.readExportability(r);
        Character version = ExportModifiers.readVersion(r);
        r.expectEnd();
        return new KeyBlockExportRequest(zmk, key, lmkId, export, version);
    }

    @Override
    public KeyBlockReply readReply(FieldReader r) {
        return KeyBlockReply.read(r, KeyBlockKey.TR31, false);
    }
}
