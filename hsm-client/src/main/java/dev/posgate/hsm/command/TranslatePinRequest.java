package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.PinBlockFormat;
import java.util.Objects;

/**
 * CA translate a PIN from TPK to ZPK encryption ({@code fromTpk}), or CC from one ZPK to another.
 *
 * <pre>
 * CA|CC sourceKey(1A+nH) destinationZpk(1A+nH) maxPinLength(2N) pinBlock(16H)
 *       sourceFormat(2N) destinationFormat(2N) account(12N)
 * CB|CD error(2) pinLength(2N) pinBlock(16H) destinationFormat(2N)
 * </pre>
 */
public record TranslatePinRequest(boolean fromTpk, LmkKey sourceKey, LmkKey destinationKey,
        int maxPinLength, byte[] pinBlock, PinBlockFormat sourceFormat,
        PinBlockFormat destinationFormat, String account) implements HsmRequest<TranslatePinReply> {

    public TranslatePinRequest {
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(destinationKey, "destinationKey");
        Objects.requireNonNull(pinBlock, "pinBlock");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        Objects.requireNonNull(destinationFormat, "destinationFormat");
        Objects.requireNonNull(account, "account");
        if (pinBlock.length != 8) {
            throw new IllegalArgumentException("PIN block must be 8 bytes");
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
        return fromTpk ? "CA" : "CC";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(sourceKey).key(destinationKey).decimal(maxPinLength, 2).hex(pinBlock)
                .ascii(sourceFormat.code()).ascii(destinationFormat.code()).ascii(account);
    }

    public static TranslatePinRequest read(FieldReader r, boolean fromTpk) {
        LmkKey src = r.lmkKey(fromTpk ? "TPK" : "source ZPK");
        LmkKey dst = r.lmkKey("destination ZPK");
        int max = r.decimal(2, "maximum PIN length");
        if (max < 4 || max > 12) {
            throw new FieldException("24", "maximum PIN length outside 4..12");
        }
        byte[] block = r.hex(16, "PIN block");
        PinBlockFormat sf = format(r, "source PIN block format");
        PinBlockFormat df = format(r, "destination PIN block format");
        String account = r.ascii(12, "account number");
        if (!Fields.isDigits(account, 12, 12)) {
            throw new FieldException("15", "account number must be 12 digits");
        }
        r.expectEnd();
        return new TranslatePinRequest(fromTpk, src, dst, max, block, sf, df, account);
    }

    private static PinBlockFormat format(FieldReader r, String what) {
        String code = r.ascii(2, what);
        PinBlockFormat f = PinBlockFormat.ofCode(code);
        if (f == null) {
            throw new FieldException("23", what + ": unsupported " + code);
        }
        return f;
    }

    @Override
    public TranslatePinReply readReply(FieldReader r) {
        int len = r.decimal(2, "PIN length");
        byte[] block = r.hex(16, "PIN block");
        PinBlockFormat f = PinBlockFormat.ofCode(r.ascii(2, "PIN block format"));
        if (f == null) {
            throw new FieldException("15", "unknown PIN block format in reply");
        }
        r.expectEnd();
        return new TranslatePinReply(len, block, f);
    }
}
