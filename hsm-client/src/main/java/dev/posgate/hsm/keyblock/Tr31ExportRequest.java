package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmRequest;
import java.util.List;
import java.util.Objects;

/**
 * A8 export a key under the <b>variant</b> LMK as a TR-31 block under a variant ZMK: the
 * "Variant LMK → Keyblock ZMK (TR-31 only)" fields of the payShield 9000 A8 manual page shipped
 * with ut-codec-payshield ({@code docs/A8_exportKey.png}). The caller gives the TR-31 header
 * attributes (the variant key has none); the HSM checks them against the key type.
 *
 * <pre>
 * A8 keyType(3H) [';' '0'] zmk(U…/T…) key(Z/U/T…) 'R' ['%' lmkId(2N)]
 *    '&amp;' keyUsage(2A) modeOfUse(1A) keyVersion(2N) exportability(1A: N|S) optionalBlockCount(2N: 00-02)
 *    optionalBlocks(ID ‖ len(2H) ‖ data) ['!' tr31Version(1A)]
 * A9 error(2) key(R…) kcv(6H)
 * </pre>
 */
public record Tr31ExportRequest(KeyType keyType, LmkKey zmk, LmkKey key, String lmkId, Tr31Attributes attributes,
        Character tr31Version) implements HsmRequest<KeyBlockReply> {

    public Tr31ExportRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(attributes, "attributes");
        if (lmkId != null && lmkId.length() != 2) {
            throw new IllegalArgumentException("LMK identifier is 2 digits");
        }
        ExportModifiers.check(null, tr31Version);
    }

    /** The usual form: no optional blocks, key version 00, default version, no LMK identifier. */
    public static Tr31ExportRequest of(KeyType keyType, LmkKey zmk, LmkKey key, String keyUsage, char modeOfUse,
            char exportability) {
        return new Tr31ExportRequest(keyType, zmk, key, null,
                new Tr31Attributes(keyUsage, modeOfUse, "00", exportability, List.of()), null);
    }

    @Override
    public String commandCode() {
        return "A8";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(keyType.code()).key(zmk).key(key).ch(KeyBlockKey.TR31);
        if (lmkId != null) {
            w.ch('%').ascii(lmkId);
        }
        attributes.write(w);
        ExportModifiers.write(w, null, tr31Version);
    }

    /**
     * True when an A8 request is this form: a variant key type, and the export scheme after the
     * two keys is {@code R}.
     */
    public static boolean matches(byte[] command) {
        if (KeyBlockExportRequest.isKeyBlock(command)) {
            return false;
        }
        try {
            FieldReader r = new FieldReader(command, 5);
            if (r.optional(';')) {
                r.ch("flag");
            }
            r.lmkKey("ZMK");
            r.lmkKey("key");
            return r.peek() == KeyBlockKey.TR31;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static Tr31ExportRequest read(FieldReader r) {
        String code = r.ascii(3, "key type");
        KeyType type = KeyType.ofCode(code);
        if (type == null) {
            throw new FieldException("04", "unknown key type code " + code);
        }
        if (r.optional(';') && r.ch("ZMK/TMK flag") != '0') {
            throw new FieldException("15", "only a ZMK (flag 0) is supported for TR-31 export");
        }
        LmkKey zmk = r.lmkKey("ZMK");
        LmkKey key = r.lmkKey("key");
        if (r.ch("export key scheme") != KeyBlockKey.TR31) {
            throw new FieldException("26", "export key scheme must be R");
        }
        String lmkId = r.optional('%') ? r.ascii(2, "LMK identifier") : null;
        Tr31Attributes attributes = Tr31Attributes.read(r);
        Character tr31Version = ExportModifiers.readVersion(r);
        r.expectEnd();
        return new Tr31ExportRequest(type, zmk, key, lmkId, attributes, tr31Version);
    }

    @Override
    public KeyBlockReply readReply(FieldReader r) {
        return KeyBlockReply.read(r, KeyBlockKey.TR31, false);
    }
}
