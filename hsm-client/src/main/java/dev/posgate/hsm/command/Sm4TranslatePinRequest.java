package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.PinBlockFormat;
import java.util.Objects;

/**
 * Z8 (extension) translate the 16-byte SM4 PIN block of an SM4 terminal (under its SM4 PIK, type
 * 002, or an SM4 ZPK, 001) to a ZPK that is SM4 (the same 16-byte block) or TDES (ISO 9564 format
 * 0, 8 bytes): a TDES host keeps working with SM4 terminals. Format {@code 01} stands for format 0
 * on both sides (the widened 16-byte form under SM4, docs/national-crypto.md).
 *
 * <pre>
 * Z8 sourceKeyType(3H: 002 | 001) sourceKey(P+32H) destinationZpk(P+32H | U+32H | T+48H)
 *    maxPinLength(2N) pinBlock(32H) sourceFormat(2N: 01) destinationFormat(2N: 01) account(12N)
 * Z9 error(2) pinLength(2N) pinBlock(32H under an SM4 ZPK | 16H under a TDES ZPK) destinationFormat(2N)
 * </pre>
 */
public record Sm4TranslatePinRequest(KeyType sourceKeyType, LmkKey sourceKey, LmkKey destinationKey,
        int maxPinLength, byte[] pinBlock, String account) implements HsmRequest<TranslatePinReply> {

    public Sm4TranslatePinRequest {
        Objects.requireNonNull(sourceKeyType, "sourceKeyType");
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(destinationKey, "destinationKey");
        Objects.requireNonNull(pinBlock, "pinBlock");
        Objects.requireNonNull(account, "account");
        if (pinBlock.length != 16) {
            throw new IllegalArgumentException("an SM4 PIN block is 16 bytes");
        }
        if (!Fields.isDigits(account, 12, 12)) {
            throw new IllegalArgumentException("account must be 12 digits");
        }
        if (maxPinLength < 4 || maxPinLength > 12) {
            throw new IllegalArgumentException("max PIN length must be 4..12");
        }
        pinBlock = pinBlock.clone();
    }

    @Override
    public byte[] pinBlock() {
        return pinBlock.clone();
    }

    @Override
    public String commandCode() {
        return "Z8";
    }

    @Override
    public void writeFields(FieldWriter w) {
        String f = PinBlockFormat.ISO_0.code();
        w.ascii(sourceKeyType.code()).key(sourceKey).key(destinationKey).decimal(maxPinLength, 2).hex(pinBlock)
                .ascii(f).ascii(f).ascii(account);
    }

    public static Sm4TranslatePinRequest read(FieldReader r) {
        KeyType type = Fields.keyType(r, "04");
        LmkKey src = r.sm4LmkKey("source PIK/ZPK");
        LmkKey dst = r.anyLmkKey("destination ZPK");
        int max = r.decimal(2, "maximum PIN length");
        if (max < 4 || max > 12) {
            throw new FieldException("24", "maximum PIN length outside 4..12");
        }
        byte[] block = r.hex(32, "PIN block");
        format0(r, "source PIN block format");
        format0(r, "destination PIN block format");
        String account = r.ascii(12, "account number");
        if (!Fields.isDigits(account, 12, 12)) {
            throw new FieldException("15", "account number must be 12 digits");
        }
        r.expectEnd();
        return new Sm4TranslatePinRequest(type, src, dst, max, block, account);
    }

    private static void format0(FieldReader r, String what) {
        String code = r.ascii(2, what);
        if (!code.equals(PinBlockFormat.ISO_0.code())) {
            throw new FieldException("23", what + ": unsupported " + code);
        }
    }

    @Override
    public TranslatePinReply readReply(FieldReader r) {
        int len = r.decimal(2, "PIN length");
        byte[] block = r.hex(destinationKey.algorithm() == KeyAlgorithm.SM4 ? 32 : 16, "PIN block");
        if (!r.ascii(2, "PIN block format").equals(PinBlockFormat.ISO_0.code())) {
            throw new FieldException("15", "unexpected PIN block format in reply");
        }
        r.expectEnd();
        return new TranslatePinReply(len, block, PinBlockFormat.ISO_0);
    }
}
