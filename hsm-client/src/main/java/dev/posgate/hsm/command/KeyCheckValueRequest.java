package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * BU generate a key check value.
 *
 * <pre>
 * BU keyTypeCode(2H: LMK pair code of a variant-0 type, or FF) keyLengthFlag(1N: 0/1/2)
 *    key(1A+nH) [';' keyType(3H) — required with FF] [';' kcvType(1N)]
 * BV error(2) kcv(16H | 6H)   (default 16H)
 * </pre>
 * An SM4 key ({@code P}, length flag 1) gets the SM4 check value: SM4-ECB of 16 zero bytes.
 * The parser reads the check-value-type group in posgate's form ({@code ;k}) and in the public
 * one ({@code ;00k}: two reserved characters, then the type); the encoder writes the {@link Form}
 * it is given.
 */
public record KeyCheckValueRequest(KeyType keyType, LmkKey key, KcvType kcvType, Form form)
        implements HsmRequest<KcvReply> {

    /** How the request is written. */
    public enum Form {
        /** posgate's: {@code FF} with the key type after the key, group {@code ;k}. */
        POSGATE,
        /** Public, {@code FF} with the key type after the key, group {@code ;00k}. */
        STANDARD_FF,
        /** Public, the 2-character key type code (the LMK pair of a variant-0 type) before the key, group {@code ;00k}. */
        STANDARD_TYPE_CODE
    }

    /** posgate's form. */
    public KeyCheckValueRequest(KeyType keyType, LmkKey key, KcvType kcvType) {
        this(keyType, key, kcvType, Form.POSGATE);
    }

    public KeyCheckValueRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(form, "form");
        if (form == Form.STANDARD_TYPE_CODE && keyType.code().charAt(0) != '0') {
            throw new IllegalArgumentException("no 2-character key type code for " + keyType.code());
        }
    }

    public KcvType effectiveKcvType() {
        return kcvType == null ? KcvType.FULL_16H : kcvType;
    }

    @Override
    public String commandCode() {
        return "BU";
    }

    @Override
    public void writeFields(FieldWriter w) {
        if (form == Form.STANDARD_TYPE_CODE) {
            w.ascii(keyType.code().substring(1)).ch(lengthFlag(key.length())).key(key);
        } else {
            w.ascii("FF").ch(lengthFlag(key.length())).key(key).ch(';').ascii(keyType.code());
        }
        if (kcvType != null) {
            w.ch(';');
            if (form != Form.POSGATE) {
                w.ascii(RESERVED);
            }
            w.ch(kcvType.code());
        }
    }

    /** The reserved characters of the public check-value-type group. */
    private static final String RESERVED = "00";

    private static char lengthFlag(int length) {
        return length == 8 ? '0' : length == 16 ? '1' : '2';
    }

    public static KeyCheckValueRequest read(FieldReader r) {
        String code = r.ascii(2, "key type code");
        KeyType type = null;
        if (!code.equalsIgnoreCase("FF")) {
            type = KeyType.ofCode("0" + code);
            if (type == null) {
                throw new FieldException("04", "unknown key type code " + code);
            }
        }
        char flag = r.ch("key length flag");
        if (flag < '0' || flag > '2') {
            throw new FieldException("05", "invalid key length flag");
        }
        LmkKey key = r.anyLmkKey("key"); // TDES, or SM4 (P) as Racal-compatible Chinese HSMs accept
        if (lengthFlag(key.length()) != flag) {
            throw new FieldException("27", "key length does not match the key length flag");
        }
        if (type == null) {
            r.expect(';', "delimiter before key type");
            type = Fields.keyType(r, "04");
        }
        KcvType kcvType = null;
        Form form = code.equalsIgnoreCase("FF") ? Form.POSGATE : Form.STANDARD_TYPE_CODE;
        if (r.optional(';')) {
            if (r.remaining() == RESERVED.length() + 1) {
                String reserved = r.ascii(RESERVED.length(), "reserved");
                if (!reserved.equals(RESERVED)) {
                    throw new FieldException("15", "reserved characters of the check value type group must be 00");
                }
                if (form == Form.POSGATE) form = Form.STANDARD_FF;
            }
            kcvType = KcvType.ofCode(r.ch("key check value type"));
            if (kcvType == null) {
                throw new FieldException("15", "invalid key check value type");
            }
        }
        r.expectEnd();
        return new KeyCheckValueRequest(type, key, kcvType, form);
    }

    @Override
    public KcvReply readReply(FieldReader r) {
        return KcvReply.read(r, effectiveKcvType().bytes());
    }

}
