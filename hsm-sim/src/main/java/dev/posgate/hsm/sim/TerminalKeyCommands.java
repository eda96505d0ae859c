package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.kcv;
import static dev.posgate.hsm.sim.SimContext.requireLength;
import static dev.posgate.hsm.sim.SimContext.requireType;
import static dev.posgate.hsm.sim.SimContext.wipe;
import static dev.posgate.hsm.sim.SimContext.wrap;

import dev.posgate.crypto.AukProof;
import dev.posgate.crypto.Diversification;
import dev.posgate.crypto.Macs;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.command.AukRandomRequest;
import dev.posgate.hsm.command.ExportKeyReply;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.GenerateKeyReply;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.MacReply;
import dev.posgate.hsm.command.PsamIssueCardKeyRequest;
import dev.posgate.hsm.command.PsamWorkingKeyRequest;
import dev.posgate.hsm.command.TmkUnderTekRequest;
import java.util.Map;

/** K-flow AUK/TEK commands (ZK, ZM, ZO) and PSAM issuance / working keys (ZE, ZG). */
final class TerminalKeyCommands {
    private final SimContext ctx;

    TerminalKeyCommands(SimContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, CommandHandler> handlers) {
        // ZK only ever gives the KMS's proof and ZM only ever checks the terminal's: the HSM is no
        // oracle for the other direction (protocol.md section 3, security amendments)
        handlers.put("ZK", r -> new MacReply(aukProof(AukProof.Direction.KMS, AukRandomRequest.read(r, false))));
        handlers.put("ZM", r -> {
            AukRandomRequest req = AukRandomRequest.read(r, true);
            return MacCommands.verified(Macs.verify(aukProof(AukProof.Direction.TERMINAL, req), req.cryptogram()));
        });
        handlers.put("ZO", this::tmkUnderTek);
        handlers.put("ZE", this::psamIssue);
        handlers.put("ZG", this::psamWorkingKey);
    }

    private byte[] aukProof(AukProof.Direction direction, AukRandomRequest req) {
        if (req.auk().algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4) { // SM4 terminal: 16-byte randoms
            byte[] auk = ctx.clearSm4(KeyType.AUK, req.auk());
            try {
                return AukProof.sm4(direction, auk, req.random());
            } finally {
                wipe(auk);
            }
        }
        byte[] auk = ctx.clear(KeyType.AUK, req.auk(), HsmErrors.SOURCE_KEY_PARITY);
        try {
            requireLength(auk, 16);
            return AukProof.of(direction, auk, req.random());
        } finally {
            wipe(auk);
        }
    }

    private HsmReply tmkUnderTek(FieldReader r) {
        TmkUnderTekRequest req = TmkUnderTekRequest.read(r);
        if (req.tek().algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4 || req.tmk().algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4) {
            if (req.tek().algorithm() != req.tmk().algorithm()) {
                throw SimContext.error(HsmErrors.INVALID_KEY_SCHEME, "TEK and TMK of different algorithms");
            }
            byte[] tek = ctx.clearSm4(KeyType.TEK, req.tek());
            byte[] tmk = null;
            try {
                tmk = ctx.clearSm4(KeyType.TMK, req.tmk());
                return new ExportKeyReply(dev.posgate.hsm.WrappedKey.of(dev.posgate.hsm.KeyScheme.P,
                        dev.posgate.crypto.Sm4.encryptEcb(tek, tmk)), dev.posgate.hsm.Kcv.of(SmCommands.kcv(tmk).first(4)));
            } finally {
                wipe(tek, tmk);
            }
        }
        byte[] tek = ctx.clear(KeyType.TEK, req.tek(), HsmErrors.SOURCE_KEY_PARITY);
        byte[] tmk = null;
        try {
            tmk = ctx.clear(KeyType.TMK, req.tmk(), HsmErrors.DESTINATION_KEY_PARITY);
            return new ExportKeyReply(wrap(tek, tmk), kcv(tmk, 4));
        } finally {
            wipe(tek, tmk);
        }
    }

    private byte[] cardKey(dev.posgate.hsm.LmkKey rootKey, String cardNumber) {
        byte[] root = ctx.clear(KeyType.PSAM_ROOT, rootKey, HsmErrors.SOURCE_KEY_PARITY);
        try {
            requireLength(root, 16, 24);
            return Diversification.pboc(root, Diversification.psamDiversifier(cardNumber));
        } finally {
            wipe(root);
        }
    }

    private HsmReply psamIssue(FieldReader r) {
        PsamIssueCardKeyRequest req = PsamIssueCardKeyRequest.read(r);
        byte[] card = cardKey(req.rootKey(), req.cardNumber());
        byte[] transport = null;
        try {
            transport = ctx.clear(KeyType.ZMK, req.transportKey(), HsmErrors.DESTINATION_KEY_PARITY);
            return new ExportKeyReply(wrap(transport, card), kcv(card, 4));
        } finally {
            wipe(card, transport);
        }
    }

    private HsmReply psamWorkingKey(FieldReader r) {
        PsamWorkingKeyRequest req = PsamWorkingKeyRequest.read(r);
        requireType(req.keyType(), KeyPolicy.PSAM_WORKING, HsmErrors.INVALID_KEY_TYPE);
        byte[] card = cardKey(req.rootKey(), req.cardNumber());
        byte[] wk = ctx.randomKey(req.lmkScheme().keyLength());
        try {
            return new GenerateKeyReply(ctx.underLmk(req.keyType(), wk), wrap(card, wk), kcv(wk, 4));
        } finally {
            wipe(card, wk);
        }
    }
}
