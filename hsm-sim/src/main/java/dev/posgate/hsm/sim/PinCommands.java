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
        byte[] clearIn = null;
        byte[] clearOut = null;
        try {
            src = ctx.clear(fromTpk ? KeyType.TPK : KeyType.ZPK, req.sourceKey(), HsmErrors.SOURCE_KEY_PARITY);
            dst = ctx.clear(KeyType.ZPK, req.destinationKey(), HsmErrors.DESTINATION_KEY_PARITY);
            clearIn = Tdes.decryptEcb(src, req.pinBlock());
            String pin;
            try {
                pin = PinBlocks.decode(format(req.sourceFormat()), clearIn, req.account());
            } catch (PinBlockException e) {
                throw error(HsmErrors.INVALID_PIN_BLOCK, "PIN block does not decode");
            }
            if (pin.length() > req.maxPinLength()) {
                throw error(HsmErrors.PIN_LENGTH, "PIN longer than the maximum");
            }
            clearOut = PinBlocks.encode(format(req.destinationFormat()), pin, req.account(), ctx.random);
            return new TranslatePinReply(pin.length(), Tdes.encryptEcb(dst, clearOut), req.destinationFormat());
        } finally {
            wipe(src, dst, clearIn, clearOut);
        }
    }
}
