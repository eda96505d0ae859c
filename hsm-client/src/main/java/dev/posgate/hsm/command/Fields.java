package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.Kcv;
import java.util.Objects;

/** Field helpers shared by the command records. */
final class Fields {
    private Fields() {
    }

    /**
     * Whether {@code s} is {@code min..max} ASCII digits. Checked on every PIN translation: a
     * loop instead of {@code String.matches}, which compiles a regex per call.
     */
    static boolean isDigits(String s, int min, int max) {
        if (s.length() < min || s.length() > max) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** A 3-character key type code; unknown codes fail with {@code errorCode}. */
    static KeyType keyType(FieldReader r, String errorCode) {
        String code = r.ascii(3, "key type");
        KeyType t = KeyType.ofCode(code);
        if (t == null) {
            throw new FieldException(errorCode, "unknown key type code " + code);
        }
        return t;
    }

    /** A key scheme field that must be an LMK scheme (Z/U/T). */
    static KeyScheme lmkScheme(FieldReader r) {
        KeyScheme s = r.scheme("key scheme (LMK)");
        if (!s.isLmkScheme()) {
            throw new FieldException("26", "not an LMK key scheme: " + s);
        }
        return s;
    }

    /** A key scheme field that must be a KEK scheme (Z/X/Y). */
    static KeyScheme kekScheme(FieldReader r) {
        KeyScheme s = r.scheme("key scheme (ZMK/TMK)");
        if (!s.isKekScheme()) {
            throw new FieldException("26", "unsupported export key scheme: " + s);
        }
        return s;
    }

    /**
     * The optional trailing group {@code ; <key scheme LMK or 0> <KCV type>}; returns null when
     * absent. {@code lmkScheme} null means the command has no LMK output and the scheme must be 0.
     */
    static KcvType trailingKcvType(FieldReader r, KeyScheme lmkScheme) {
        if (!r.optional(';')) {
            return null;
        }
        char s = r.ch("key scheme (LMK)");
        if (lmkScheme == null ? s != '0' : s != lmkScheme.tag()) {
            throw new FieldException("26", "trailing key scheme '" + s + "' does not match");
        }
        KcvType t = KcvType.ofCode(r.ch("key check value type"));
        if (t == null) {
            throw new FieldException("15", "invalid key check value type");
        }
        return t;
    }

    static void writeTrailingKcvType(FieldWriter w, KeyScheme lmkScheme, KcvType t) {
        if (t != null) {
            w.ch(';').ch(lmkScheme == null ? '0' : lmkScheme.tag()).ch(t.code());
        }
    }

    static Kcv kcv(FieldReader r, int bytes) {
        return Kcv.of(r.hex(bytes * 2, "key check value"));
    }

    /** A digit string with a 2-digit length prefix (1..max digits). */
    static String digits(FieldReader r, int max, String what) {
        int n = r.decimal(2, what + " length");
        if (n < 1 || n > max) {
            throw new FieldException("15", what + ": length " + n + " outside 1.." + max);
        }
        String s = r.ascii(n, what);
        if (!isDigits(s, n, n)) {
            throw new FieldException("15", what + ": not decimal");
        }
        return s;
    }

    static void writeDigits(FieldWriter w, String digits) {
        w.decimal(digits.length(), 2).ascii(digits);
    }

    /** A {@code 4H} byte count followed by that many raw bytes (extension commands). */
    static byte[] hexLengthBytes(FieldReader r, String what) {
        int n = r.hexNumber(4, what + " length", "15");
        return r.bytes(n, what);
    }

    static void writeHexLengthBytes(FieldWriter w, byte[] data) {
        w.hexNumber(data.length, 4).bytes(data);
    }

    static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }

    /** A copy of a block sent in a 4-digit length-prefixed field (RSA blocks): 1 to 9999 bytes. */
    static byte[] lengthPrefixedBlock(byte[] block) {
        Objects.requireNonNull(block, "block");
        if (block.length == 0 || block.length > 9999) {
            throw new IllegalArgumentException("bad block length");
        }
        return block.clone();
    }
}
