package dev.posgate.hsm.keyblock;

import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.HsmRequest;
import java.util.List;
import java.util.Objects;

/**
 * A0 mode 1 generating a <b>variant</b> key and exporting it as a TR-31 block under a variant
 * ZMK: the "when generating a variant key, and exporting to TR-31 format" fields of the payShield
 * 9000 A0 manual page shipped with ut-codec-payshield ({@code docs/A0_generateKey.png}); optional
 * blocks are limited to {@code KS} and {@code KV}, as the page says.
 *
 * <pre>
 * A0 '1' keyType(3H) scheme(Z|U|T) [';' '0'] zmk(U…/T…) 'R' ['%' lmkId(2N)]
 *    '&amp;' keyUsage(2A) modeOfUse(1A) keyVersion(2N) exportability(N|S) optionalBlockCount(00-02) blocks
 *    ['!' tr31Version]
 * A1 error(2) key(Z/U/T…) key(R…) kcv(6H)
 * </pre>
 */
public record Tr31GenerateRequest(KeyType keyType, KeyScheme lmkScheme, LmkKey zmk, String lmkId,
        Tr31Attributes attributes, Character tr31Version) implements HsmRequest<Tr31GenerateRequest.Reply> {

    public Tr31GenerateRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(lmkScheme, "lmkScheme");
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(attributes, "attributes");
        if (!lmkScheme.isLmkScheme() || lmkScheme == KeyScheme.P) {
            throw new IllegalArgumentException("key scheme (LMK) must be Z, U or T");
        }
        for (KeyBlockHeader.OptionalBlock b : attributes.optionalBlocks()) {
            if (!b.id().equals("KS") && !b.id().equals("KV")) {
                throw new IllegalArgumentException("only KS and KV optional blocks, not " + b.id());
            }
        }
        if (lmkId != null && lmkId.length() != 2) {
            throw new IllegalArgumentException("LMK identifier is 2 digits");
        }
        ExportModifiers.check(null, tr31Version);
    }

    /** The new key under the variant LMK, the TR-31 block and the 6-hex check value. */
    public record Reply(LmkKey key, KeyBlockKey exported, String kcv) implements HsmReply {
        public Reply {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(exported, "exported");
            Objects.requireNonNull(kcv, "kcv");
        }

        @Override
        public void writeFields(FieldWriter w) {
            w.key(key);
            exported.write(w);
            w.ascii(kcv);
        }
    }

    @Override
    public String commandCode() {
        return "A0";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ch('1').ascii(keyType.code()).ch(lmkScheme.tag()).ch(';').ch('0').key(zmk).ch(KeyBlockKey.TR31);
        if (lmkId != null) {
            w.ch('%').ascii(lmkId);
        }
        attributes.write(w);
        ExportModifiers.write(w, null, tr31Version);
    }

    /** True when an A0 request is this form: mode 1, a variant type, export scheme {@code R}. */
    public static boolean matches(byte[] command) {
        if (command.length < 7 || command[2] != '1' || KeyBlockGenerateRequest.isKeyBlock(command)) {
            return false;
        }
        try {
            FieldReader r = new FieldReader(command, 7);
            if (r.optional(';')) {
                r.ch("flag");
            }
            r.lmkKey("ZMK");
            return r.peek() == KeyBlockKey.TR31;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static Tr31GenerateRequest read(FieldReader r) {
        if (r.ch("mode") != '1') {
            throw new FieldException("15", "TR-31 export needs mode 1");
        }
        String code = r.ascii(3, "key type");
        KeyType type = KeyType.ofCode(code);
        if (type == null) {
            throw new FieldException("04", "unknown key type code " + code);
        }
        KeyScheme scheme = r.scheme("key scheme (LMK)");
        if (r.optional(';') && r.ch("ZMK/TMK flag") != '0') {
            throw new FieldException("15", "only a ZMK (flag 0) is supported for TR-31 export");
        }
        LmkKey zmk = r.lmkKey("ZMK");
        if (r.ch("export key scheme") != KeyBlockKey.TR31) {
            throw new FieldException("26", "export key scheme must be R");
        }
        String lmkId = r.optional('%') ? r.ascii(2, "LMK identifier") : null;
        Tr31Attributes attributes = Tr31Attributes.read(r);
        Character version = ExportModifiers.readVersion(r);
        r.expectEnd();
        try {
            return new Tr31GenerateRequest(type, scheme, zmk, lmkId, attributes, version);
        } catch (IllegalArgumentException e) {
            throw new FieldException("15", e.getMessage());
        }
    }

    @Override
    public Reply readReply(FieldReader r) {
        LmkKey key = r.lmkKey("key");
        KeyBlockKey exported = KeyBlockKey.read(r, KeyBlockKey.TR31, "key under ZMK");
        String kcv = dev.posgate.crypto.Hex.encode(r.hex(6, "key check value"));
        r.expectEnd();
        return new Reply(key, exported, kcv);
    }

    /** Convenience: no optional blocks, default version. */
    public static Tr31GenerateRequest of(KeyType type, KeyScheme scheme, LmkKey zmk, String keyUsage, char modeOfUse,
            char exportability) {
        return new Tr31GenerateRequest(type, scheme, zmk, null,
                new Tr31Attributes(keyUsage, modeOfUse, "00", exportability, List.of()), null);
    }
}
