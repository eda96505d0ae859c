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
 */
public record KeyCheckValueRequest(KeyType keyType, LmkKey key, KcvType kcvType)
        implements HsmRequest<KcvReply> {

    public KeyCheckValueRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(key, "key");
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
        w.ascii("FF").ch(lengthFlag(key.length())).key(key).ch(';').ascii(keyType.code());
        if (kcvType != null) {
            w.ch(';').ch(kcvType.code());
        }
    }

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
        if (r.optional(';')) {
            kcvType = KcvType.ofCode(r.ch("key check value type"));
            if (kcvType == null) {
                throw new FieldException("15", "invalid key check value type");
            }
        }
        r.expectEnd();
        return new KeyCheckValueRequest(type, key, kcvType);
    }

    @Override
    public KcvReply readReply(FieldReader r) {
        return KcvReply.read(r, effectiveKcvType().bytes());
    }

}
