package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkSm2PrivateKey;
import dev.posgate.hsm.Wrapping;
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

    /** A key scheme field that must be a TDES LMK scheme (Z/U/T; SM4's P gives 26). */
    static KeyScheme lmkScheme(FieldReader r) {
        KeyScheme s = r.scheme("key scheme (LMK)");
        if (!s.isLmkScheme() || s.algorithm() != KeyAlgorithm.TDES) {
            throw new FieldException("26", "not an LMK key scheme: " + s);
        }
        return s;
    }

    /** A key scheme field that must be a TDES KEK scheme (Z/X/Y; SM4's P gives 26). */
    static KeyScheme kekScheme(FieldReader r) {
        KeyScheme s = r.scheme("key scheme (ZMK/TMK)");
        if (!s.isKekScheme() || s.algorithm() != KeyAlgorithm.TDES) {
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

    /** Stored-key index meaning "the key follows in the command" (the only one posgate uses). */
    static final String EXTERNAL_KEY_INDEX = "99";

    /** {@code keyIndex(2N: 99) privateKeyLength(4N) privateKey(nB)} of the SM2 commands. */
    static LmkSm2PrivateKey sm2PrivateKey(FieldReader r) {
        String index = r.ascii(2, "SM2 key index");
        if (!index.equals(EXTERNAL_KEY_INDEX)) {
            throw new FieldException("15", "only key index 99 (key in the command) is supported");
        }
        return LmkSm2PrivateKey.of(r.lengthPrefixed("SM2 private key"));
    }

    static void writeSm2PrivateKey(FieldWriter w, LmkSm2PrivateKey key) {
        w.ascii(EXTERNAL_KEY_INDEX).lengthPrefixed(key.bytes());
    }

    /** The optional {@code ';' flag(1N: 0 ZMK | 1 TMK)} of the SM4 key commands (ZMK when absent). */
    static Wrapping sm4Wrapping(FieldReader r) {
        if (!r.optional(';')) {
            return Wrapping.ZMK;
        }
        Wrapping w = Wrapping.ofFlag(r.ch("ZMK/TMK flag"));
        if (w == null) {
            throw new FieldException("15", "invalid ZMK/TMK flag");
        }
        return w;
    }

    static void writeSm4Wrapping(FieldWriter w, Wrapping wrapping) {
        if (wrapping != Wrapping.ZMK) {
            w.ch(';').ch(wrapping.flag());
        }
    }

    /** Any {@link Wrapping}: ZMK, TMK, and the TMS keys DMK (a DWK under it) and DWK (the key message). */
    static void requireSm4Wrapping(Wrapping wrapping) {
        java.util.Objects.requireNonNull(wrapping, "wrapping");
    }

    static void requireSm4(LmkKey key, String what) {
        if (key.algorithm() != KeyAlgorithm.SM4) {
            throw new IllegalArgumentException(what + " must be an SM4 key (scheme P), not " + key.scheme());
        }
    }
}
