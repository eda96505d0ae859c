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
        pinBlock = TranslatePinFields.checked(maxPinLength, pinBlock, sourceFormat, destinationFormat, account);
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
        w.key(sourceKey).key(destinationKey);
        TranslatePinFields.write(w, maxPinLength, pinBlock, sourceFormat, destinationFormat, account);
    }

    public static TranslatePinRequest read(FieldReader r, boolean fromTpk) {
        LmkKey src = r.lmkKey(fromTpk ? "TPK" : "source ZPK");
        LmkKey dst = r.lmkKey("destination ZPK");
        return TranslatePinFields.read(r, (max, block, sf, df, account) ->
                new TranslatePinRequest(fromTpk, src, dst, max, block, sf, df, account));
    }

    @Override
    public TranslatePinReply readReply(FieldReader r) {
        return TranslatePinFields.readReply(r);
    }
}
