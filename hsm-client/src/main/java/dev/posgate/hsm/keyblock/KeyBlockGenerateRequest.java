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
 * A0 mode(1N: 0|1) 'FFF' 'S' [mode 1: [';' zmkFlag('0')] zmk(S…) 'R'] ['%' lmkId(2N)] '#' attributes
 *    [mode 1: ['&amp;' 'N'] ['!' tr31Version(1A: A|B|C|D)]]
 * A1 error(2) key(S…) [mode 1: key(R…)] kcv(6H)
 * </pre>
 *
 * <p>The layout of the payShield 9000 A0 manual page shipped with ut-codec-payshield
 * ({@code docs/A0_generateKey.png}: the "generating &amp; optionally exporting in key block
 * format" fields); mode 0 is byte for byte its key-block sample ({@code A00FFFS%01#K0T2B00E00}).
 * The page makes the {@code ;} + flag pair optional (flag 0, ZMK, is the default); only a ZMK
 * and TR-31 export ({@code R}) are supported, not a TMK, a BDK or payShield's own key block
 * under the ZMK ({@code S}). {@code &N} sets the exported block's exportability to N; {@code !}
 * chooses the TR-31 version (default B under a TDES ZMK, D under an AES one).
 */
public record KeyBlockGenerateRequest(String lmkId, KeyBlockAttributes attributes, KeyBlockKey zmk,
        Character modifiedExportability, Character tr31Version) implements HsmRequest<KeyBlockReply> {

    /** Without the export modifiers. */
    public KeyBlockGenerateRequest(String lmkId, KeyBlockAttributes attributes, KeyBlockKey zmk) {
        this(lmkId, attributes, zmk, null, null);
    }

    public KeyBlockGenerateRequest {
        Objects.requireNonNull(attributes, "attributes");
        if (lmkId != null && lmkId.length() != 2) {
            throw new IllegalArgumentException("LMK identifier is 2 digits");
        }
        if (zmk != null && zmk.scheme() != KeyBlockKey.UNDER_LMK) {
            throw new IllegalArgumentException("the ZMK must be a key under the LMK (S)");
        }
        if (zmk == null && (modifiedExportability != null || tr31Version != null)) {
            throw new IllegalArgumentException("export modifiers need a ZMK");
        }
        ExportModifiers.check(modifiedExportability, tr31Version);
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
        if (lmkId != null) {
            w.ch('%').ascii(lmkId);
        }
        attributes.write(w);
        ExportModifiers.write(w, modifiedExportability, tr31Version);
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
            if (r.optional(';') && r.ch("ZMK/TMK flag") != '0') {
                throw new FieldException("15", "only a ZMK (flag 0) is supported");
            }
            if (r.peek() == '0') {
                r.ch("ZMK/TMK flag"); // the ut-codec-payshield sample writes the flag without ';'
            }
            zmk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "ZMK");
            if (r.ch("export key scheme") != KeyBlockKey.TR31) {
                throw new FieldException("26", "export key scheme must be R (TR-31)");
            }
        }
        String lmkId = r.optional('%') ? r.ascii(2, "LMK identifier") : null;
        KeyBlockAttributes attributes = KeyBlockAttributes.read(r);
        Character export = null;
        Character version = null;
        if (zmk != null) {
            export = ExportModifiers.readExportability(r);
            version = ExportModifiers.readVersion(r);
        }
        r.expectEnd();
        try {
            return new KeyBlockGenerateRequest(lmkId, attributes, zmk, export, version);
        } catch (IllegalArgumentException e) {
            throw new FieldException("15", e.getMessage());
        }
    }

    @Override
    public KeyBlockReply readReply(FieldReader r) {
        return KeyBlockReply.read(r, KeyBlockKey.UNDER_LMK, exports());
    }
}
