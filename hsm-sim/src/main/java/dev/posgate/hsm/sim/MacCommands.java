package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.error;
import static dev.posgate.hsm.sim.SimContext.requireLength;
import static dev.posgate.hsm.sim.SimContext.requireType;
import static dev.posgate.hsm.sim.SimContext.wipe;

import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PaddingMethod;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.hsm.command.EmptyReply;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.GenerateMacRequest;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.MacReply;
import dev.posgate.hsm.command.TacRequest;
import dev.posgate.hsm.command.UnionPayMacRequest;
import dev.posgate.hsm.command.VerifyMacRequest;
import java.util.Arrays;
import java.util.Map;

/** M6/M8 (ISO 9797-1), ZA/ZC (UnionPay ECB MAC), ZS/ZU (TMS TAC/SAC). */
final class MacCommands {
    private final SimContext ctx;

    MacCommands(SimContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, CommandHandler> handlers) {
        handlers.put("M6", r -> {
            GenerateMacRequest req = GenerateMacRequest.read(r);
            return new MacReply(mac(req));
        });
        handlers.put("M8", r -> {
            VerifyMacRequest<GenerateMacRequest> req = VerifyMacRequest.read(r);
            return verified(Macs.verify(mac(req.data()), req.mac()));
        });
        handlers.put("ZA", r -> UnionPayMacRequest.reply(unionPay(UnionPayMacRequest.read(r, false))));
        handlers.put("ZC", r -> {
            UnionPayMacRequest req = UnionPayMacRequest.read(r, true);
            return verified(Macs.verify(unionPay(req), req.mac()));
        });
        handlers.put("ZS", r -> new MacReply(tac(TacRequest.read(r, false))));
        handlers.put("ZU", r -> {
            TacRequest req = TacRequest.read(r, true);
            return verified(Macs.verify(tac(req), req.tac()));
        });
    }

    static HsmReply verified(boolean ok) {
        if (!ok) {
            throw error(HsmErrors.VERIFICATION_FAILED, "verification failure");
        }
        return EmptyReply.INSTANCE;
    }

    private byte[] mac(GenerateMacRequest req) {
        requireType(req.keyType(), KeyPolicy.MAC, "05");
        PaddingMethod pad = req.params().padding();
        byte[] msg = req.message();
        if (pad == PaddingMethod.NONE && (msg.length == 0 || msg.length % 8 != 0)) {
            throw error("06", "unpadded message must be a non-empty multiple of 8 bytes");
        }
        byte[] key = ctx.clear(req.keyType(), req.key(), HsmErrors.SOURCE_KEY_PARITY);
        try {
            byte[] full;
            if (req.params().algorithm() == MacAlgorithm.ISO9797_ALG3) {
                requireLength(key, 16);
                full = Macs.iso9797Alg3(key, msg, pad);
            } else {
                full = Macs.iso9797Alg1(key, msg, pad);
            }
            return Arrays.copyOf(full, req.params().macLength());
        } finally {
            wipe(key);
        }
    }

    private byte[] unionPay(UnionPayMacRequest req) {
        requireType(req.keyType(), KeyPolicy.UNIONPAY_MAC, HsmErrors.INVALID_KEY_TYPE);
        byte[] key = ctx.clear(req.keyType(), req.key(), HsmErrors.SOURCE_KEY_PARITY);
        try {
            return Macs.unionPayEcb(key, req.mab());
        } finally {
            wipe(key);
        }
    }

    /** TDES (X9.9 family) under a TDES DWK; SM4-CBC-MAC, leftmost 4 bytes, under an SM4 DWK (scheme P). */
    private byte[] tac(TacRequest req) {
        if (req.dwk().algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4) {
            byte[] key = ctx.clearSm4(KeyType.DWK, req.dwk());
            try {
                return Macs.sm4Tac(key, req.data());
            } finally {
                wipe(key);
            }
        }
        byte[] key = ctx.clear(KeyType.DWK, req.dwk(), HsmErrors.SOURCE_KEY_PARITY);
        try {
            requireLength(key, 8, 16);
            return Macs.tac(key, req.data());
        } finally {
            wipe(key);
        }
    }
}
