package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.error;
import static dev.posgate.hsm.sim.SimContext.wipe;

import dev.posgate.crypto.PinBlockException;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.TranslatePinReply;
import dev.posgate.hsm.command.TranslatePinRequest;
import java.util.Map;

/** CA (TPK → ZPK) and CC (ZPK → ZPK) PIN translation. */
final class PinCommands {
    private final SimContext ctx;

    PinCommands(SimContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, CommandHandler> handlers) {
        handlers.put("CA", r -> translate(r, true));
        handlers.put("CC", r -> translate(r, false));
    }

    private static PinBlocks.Format format(PinBlockFormat f) {
        switch (f) {
            case ISO_0: return PinBlocks.Format.ISO_0;
            case ISO_1: return PinBlocks.Format.ISO_1;
            default: return PinBlocks.Format.ISO_3;
        }
    }

    private HsmReply translate(FieldReader r, boolean fromTpk) {
        TranslatePinRequest req = TranslatePinRequest.read(r, fromTpk);
        byte[] src = null;
        byte[] dst = null;
        try {
            src = ctx.clear(fromTpk ? KeyType.TPK : KeyType.ZPK, req.sourceKey(), HsmErrors.SOURCE_KEY_PARITY);
            dst = ctx.clear(KeyType.ZPK, req.destinationKey(), HsmErrors.DESTINATION_KEY_PARITY);
            return translate(ctx, src, dst, req.maxPinLength(), req.pinBlock(), req.sourceFormat(), req.destinationFormat(),
                    req.account());
        } finally {
            wipe(src, dst);
        }
    }

    /** The translation itself, with clear keys (the key-block CA shares it: {@link KeyBlockCommands}). */
    static TranslatePinReply translate(SimContext ctx, byte[] src, byte[] dst, int maxPinLength, byte[] pinBlock,
            PinBlockFormat sourceFormat, PinBlockFormat destinationFormat, String account) {
        byte[] clearIn = null;
        byte[] clearOut = null;
        try {
            clearIn = Tdes.decryptEcb(src, pinBlock);
            String pin;
            try {
                pin = PinBlocks.decode(format(sourceFormat), clearIn, account);
            } catch (PinBlockException e) {
                throw error(HsmErrors.INVALID_PIN_BLOCK, "PIN block does not decode");
            }
            if (pin.length() > maxPinLength) {
                throw error(HsmErrors.PIN_LENGTH, "PIN longer than the maximum");
            }
            clearOut = PinBlocks.encode(format(destinationFormat), pin, account, ctx.random);
            return new TranslatePinReply(pin.length(), Tdes.encryptEcb(dst, clearOut), destinationFormat);
        } finally {
            wipe(clearIn, clearOut);
        }
    }
}
