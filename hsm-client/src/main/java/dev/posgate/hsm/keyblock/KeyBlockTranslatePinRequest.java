package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmRequest;
import dev.posgate.hsm.command.TranslatePinFields;
import dev.posgate.hsm.command.TranslatePinReply;
import java.util.Objects;

/**
 * CA with keys under the key-block LMK (issue 16, docs/key-blocks.md "Key-block keys in use"): the
 * CA layout of docs/hsm-protocol.md section 3 with an {@code S} TPK and an {@code S} ZPK, as payShield
 * takes key blocks in the key fields of its variant commands.
 *
 * <pre>
 * CA tpk(S…) zpk(S…) maxPinLength(2N) pinBlock(16H) sourceFormat(2N) destinationFormat(2N) account(12N)
 * CB error pinLength(2N) pinBlock(16H) destinationFormat(2N)
 * </pre>
 */
public record KeyBlockTranslatePinRequest(KeyBlockKey tpk, KeyBlockKey zpk, int maxPinLength, byte[] pinBlock,
        PinBlockFormat sourceFormat, PinBlockFormat destinationFormat, String account) implements HsmRequest<TranslatePinReply> {

    public KeyBlockTranslatePinRequest {
        Objects.requireNonNull(tpk, "tpk");
        Objects.requireNonNull(zpk, "zpk");
        if (tpk.scheme() != KeyBlockKey.UNDER_LMK || zpk.scheme() != KeyBlockKey.UNDER_LMK) {
            throw new IllegalArgumentException("S keys (under the key-block LMK)");
        }
        pinBlock = TranslatePinFields.checked(maxPinLength, pinBlock, sourceFormat, destinationFormat, account);
    }

    @Override
    public byte[] pinBlock() {
        return pinBlock.clone();
    }

    @Override
    public String commandCode() {
        return "CA";
    }

    @Override
    public void writeFields(FieldWriter w) {
        tpk.write(w);
        zpk.write(w);
        TranslatePinFields.write(w, maxPinLength, pinBlock, sourceFormat, destinationFormat, account);
    }

    /** Whether a CA command (code included) carries a key-block TPK. */
    public static boolean isKeyBlock(byte[] command) {
        return command.length >= 3 && command[2] == KeyBlockKey.UNDER_LMK;
    }

    public static KeyBlockTranslatePinRequest read(FieldReader r) {
        KeyBlockKey tpk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "TPK");
        KeyBlockKey zpk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "destination ZPK");
        return TranslatePinFields.read(r, (max, block, sf, df, account) ->
                new KeyBlockTranslatePinRequest(tpk, zpk, max, block, sf, df, account));
    }

    @Override
    public TranslatePinReply readReply(FieldReader r) {
        return TranslatePinFields.readReply(r);
    }
}
