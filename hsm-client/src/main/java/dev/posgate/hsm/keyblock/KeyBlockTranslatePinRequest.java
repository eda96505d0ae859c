package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmRequest;
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
        Objects.requireNonNull(pinBlock, "pinBlock");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        Objects.requireNonNull(destinationFormat, "destinationFormat");
        Objects.requireNonNull(account, "account");
        if (tpk.scheme() != KeyBlockKey.UNDER_LMK || zpk.scheme() != KeyBlockKey.UNDER_LMK) {
            throw new IllegalArgumentException("S keys (under the key-block LMK)");
        }
        if (pinBlock.length != 8) throw new IllegalArgumentException("PIN block must be 8 bytes");
        if (!account.matches("[0-9]{12}")) throw new IllegalArgumentException("account must be 12 digits");
        if (maxPinLength < 4 || maxPinLength > 12) throw new IllegalArgumentException("max PIN length must be 4..12");
        pinBlock = pinBlock.clone();
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
        w.decimal(maxPinLength, 2).hex(pinBlock).ascii(sourceFormat.code()).ascii(destinationFormat.code()).ascii(account);
    }

    /** Whether a CA command (code included) carries a key-block TPK. */
    public static boolean isKeyBlock(byte[] command) {
        return command.length >= 3 && command[2] == KeyBlockKey.UNDER_LMK;
    }

    public static KeyBlockTranslatePinRequest read(FieldReader r) {
        KeyBlockKey tpk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "TPK");
        KeyBlockKey zpk = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "destination ZPK");
        int max = r.decimal(2, "maximum PIN length");
        if (max < 4 || max > 12) throw new FieldException("24", "maximum PIN length outside 4..12");
        byte[] block = r.hex(16, "PIN block");
        PinBlockFormat sf = format(r, "source PIN block format");
        PinBlockFormat df = format(r, "destination PIN block format");
        String account = r.ascii(12, "account number");
        if (!account.matches("[0-9]{12}")) throw new FieldException("15", "account number must be 12 digits");
        r.expectEnd();
        return new KeyBlockTranslatePinRequest(tpk, zpk, max, block, sf, df, account);
    }

    private static PinBlockFormat format(FieldReader r, String what) {
        String code = r.ascii(2, what);
        PinBlockFormat f = PinBlockFormat.ofCode(code);
        if (f == null) throw new FieldException("23", what + ": unsupported " + code);
        return f;
    }

    @Override
    public TranslatePinReply readReply(FieldReader r) {
        int len = r.decimal(2, "PIN length");
        byte[] block = r.hex(16, "PIN block");
        PinBlockFormat f = PinBlockFormat.ofCode(r.ascii(2, "PIN block format"));
        if (f == null) throw new FieldException("15", "unknown PIN block format in reply");
        r.expectEnd();
        return new TranslatePinReply(len, block, f);
    }
}
