package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.HsmRequest;
import java.util.Objects;

/**
 * A6 import a TR-31 block received under a <b>variant</b> ZMK into a key under the variant LMK:
 * the payShield 9000 A6 manual page shipped with ut-codec-payshield ({@code docs/A6_importKey.png})
 * lists {@code 'R' + n A} among the forms of "Key (ZMK)" for a variant LMK. The HSM checks the
 * block's key usage, algorithm and mode of use against the key type.
 *
 * <pre>
 * A6 keyType(3H) zmk(U…/T…) key(R…) keyScheme(LMK: Z|U|T) ['%' lmkId(2N)]
 * A7 error(2) key(Z/U/T…) kcv(6H)
 * </pre>
 */
public record Tr31ImportRequest(KeyType keyType, LmkKey zmk, KeyBlockKey key, KeyScheme lmkScheme, String lmkId)
        implements HsmRequest<Tr31ImportRequest.Reply> {

    public Tr31ImportRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(zmk, "zmk");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lmkScheme, "lmkScheme");
        if (key.scheme() != KeyBlockKey.TR31) {
            throw new IllegalArgumentException("the imported key is a TR-31 block (R)");
        }
        if (!lmkScheme.isLmkScheme() || lmkScheme == KeyScheme.P) {
            throw new IllegalArgumentException("key scheme (LMK) must be Z, U or T");
        }
        if (lmkId != null && lmkId.length() != 2) {
            throw new IllegalArgumentException("LMK identifier is 2 digits");
        }
    }

    /** The imported key under the variant LMK and its 6-hex check value. */
    public record Reply(LmkKey key, String kcv) implements HsmReply {
        public Reply {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(kcv, "kcv");
        }

        @Override
        public void writeFields(FieldWriter w) {
            w.key(key).ascii(kcv);
        }
    }

    @Override
    public String commandCode() {
        return "A6";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(keyType.code()).key(zmk);
        key.write(w);
        w.ch(lmkScheme.tag());
        if (lmkId != null) {
            w.ch('%').ascii(lmkId);
        }
    }

    /** True when an A6 request is this form: a variant key type and a key field starting with {@code R}. */
    public static boolean matches(byte[] command) {
        if (KeyBlockImportRequest.isKeyBlock(command)) {
            return false;
        }
        try {
            FieldReader r = new FieldReader(command, 5);
            r.lmkKey("ZMK");
            return r.peek() == KeyBlockKey.TR31;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static Tr31ImportRequest read(FieldReader r) {
        String code = r.ascii(3, "key type");
        KeyType type = KeyType.ofCode(code);
        if (type == null) {
            throw new FieldException("04", "unknown key type code " + code);
        }
        LmkKey zmk = r.lmkKey("ZMK");
        KeyBlockKey key = KeyBlockKey.read(r, KeyBlockKey.TR31, "key");
        KeyScheme scheme = r.scheme("key scheme (LMK)");
        if (!scheme.isLmkScheme() || scheme == KeyScheme.P) {
            throw new FieldException("26", "key scheme (LMK) must be Z, U or T");
        }
        String lmkId = r.optional('%') ? r.ascii(2, "LMK identifier") : null;
        r.expectEnd();
        return new Tr31ImportRequest(type, zmk, key, scheme, lmkId);
    }

    @Override
    public Reply readReply(FieldReader r) {
        LmkKey k = r.lmkKey("key");
        String kcv = dev.posgate.crypto.Hex.encode(r.hex(6, "key check value"));
        r.expectEnd();
        return new Reply(k, kcv);
    }
}
