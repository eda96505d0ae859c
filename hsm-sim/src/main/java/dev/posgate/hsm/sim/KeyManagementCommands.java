package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.error;
import static dev.posgate.hsm.sim.SimContext.kcv;
import static dev.posgate.hsm.sim.SimContext.requireType;
import static dev.posgate.hsm.sim.SimContext.wipe;
import static dev.posgate.hsm.sim.SimContext.wrap;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.WrappedKey;
import dev.posgate.hsm.command.DiagnosticsReply;
import dev.posgate.hsm.command.DiagnosticsRequest;
import dev.posgate.hsm.command.ExportKeyReply;
import dev.posgate.hsm.command.ExportKeyRequest;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FormKeyFromComponentsRequest;
import dev.posgate.hsm.command.GenerateKeyReply;
import dev.posgate.hsm.command.GenerateKeyRequest;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.ImportKeyRequest;
import dev.posgate.hsm.command.KcvReply;
import dev.posgate.hsm.command.KeyCheckValueRequest;
import dev.posgate.hsm.command.KeyUnderLmkReply;
import java.util.List;
import java.util.Map;

/** A0, A6, A8, BU, NC and the key ceremony ZW. */
final class KeyManagementCommands {
    private final SimContext ctx;

    KeyManagementCommands(SimContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, CommandHandler> handlers) {
        handlers.put("A0", this::generate);
        handlers.put("A6", this::importKey);
        handlers.put("A8", this::exportKey);
        handlers.put("BU", this::checkValue);
        handlers.put("NC", this::diagnostics);
        handlers.put("ZW", this::formFromComponents);
    }

    private HsmReply generate(FieldReader r) {
        GenerateKeyRequest req = GenerateKeyRequest.read(r);
        if (req.exports()) {
            requireType(req.keyType(), KeyPolicy.EXPORTABLE.get(req.wrapping()), HsmErrors.INVALID_KEY_TYPE);
            if (req.exportScheme().keyLength() != req.lmkScheme().keyLength()) {
                throw error(HsmErrors.INVALID_KEY_SCHEME, "export scheme does not match the key length");
            }
        }
        byte[] key = ctx.randomKey(req.lmkScheme().keyLength());
        byte[] kek = null;
        try {
            WrappedKey wrapped = null;
            if (req.exports()) {
                kek = ctx.clear(req.wrapping().kekType(), req.wrappingKey(), HsmErrors.SOURCE_KEY_PARITY);
                wrapped = wrap(kek, key);
            }
            return new GenerateKeyReply(ctx.underLmk(req.keyType(), key), wrapped,
                    kcv(key, req.effectiveKcvType().bytes()));
        } finally {
            wipe(key, kek);
        }
    }

    private HsmReply importKey(FieldReader r) {
        ImportKeyRequest req = ImportKeyRequest.read(r);
        requireType(req.keyType(), KeyPolicy.UNDER_ZMK, HsmErrors.INVALID_KEY_TYPE);
        if (req.key().length() != req.lmkScheme().keyLength()) {
            throw error(HsmErrors.KEY_LENGTH, "key length does not match the LMK scheme");
        }
        byte[] zmk = ctx.clear(KeyType.ZMK, req.zmk(), HsmErrors.SOURCE_KEY_PARITY);
        byte[] key = Tdes.decryptEcb(zmk, req.key().cryptogram());
        try {
            if (!Parity.isOdd(key)) {
                // payShield imports it anyway and warns (01, "advice only"): the key under the LMK as it
                // decrypted, so commands that check parity refuse it later; the posgate profile refuses
                throw new HsmCommandException.Warning(HsmErrors.VERIFICATION_FAILED, "imported key has bad parity",
                        new KeyUnderLmkReply(ctx.underLmk(req.keyType(), key), kcv(key, req.effectiveKcvType().bytes())));
            }
            return new KeyUnderLmkReply(ctx.underLmk(req.keyType(), key), kcv(key, req.effectiveKcvType().bytes()));
        } finally {
            wipe(zmk, key);
        }
    }

    private HsmReply exportKey(FieldReader r) {
        ExportKeyRequest req = ExportKeyRequest.read(r);
        requireType(req.keyType(), KeyPolicy.EXPORTABLE.get(req.wrapping()), HsmErrors.INVALID_KEY_TYPE);
        if (req.exportScheme().keyLength() != req.key().length()) {
            throw error(HsmErrors.INVALID_KEY_SCHEME, "export scheme does not match the key length");
        }
        byte[] kek = ctx.clear(req.wrapping().kekType(), req.kek(), HsmErrors.SOURCE_KEY_PARITY);
        byte[] key = null;
        try {
            key = ctx.clear(req.keyType(), req.key(), HsmErrors.DESTINATION_KEY_PARITY);
            return new ExportKeyReply(wrap(kek, key), kcv(key, req.effectiveKcvType().bytes()));
        } finally {
            wipe(kek, key);
        }
    }

    private HsmReply checkValue(FieldReader r) {
        KeyCheckValueRequest req = KeyCheckValueRequest.read(r);
        boolean sm4 = req.key().algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4;
        byte[] key = sm4 ? ctx.clearSm4(req.keyType(), req.key())
                : ctx.clear(req.keyType(), req.key(), HsmErrors.SOURCE_KEY_PARITY);
        try {
            int bytes = req.effectiveKcvType().bytes();
            return new KcvReply(sm4 ? dev.posgate.hsm.Kcv.of(dev.posgate.crypto.Kcv.ofSm4(key, bytes)) : kcv(key, bytes));
        } finally {
            wipe(key);
        }
    }

    private HsmReply diagnostics(FieldReader r) {
        DiagnosticsRequest.read(r);
        return new DiagnosticsReply(ctx.lmk.checkValue(), HsmSimConfig.FIRMWARE);
    }

    private HsmReply formFromComponents(FieldReader r) {
        if (!ctx.allowClearComponents) {
            throw error(HsmErrors.COMMAND_DISABLED, "clear key components are disabled");
        }
        FormKeyFromComponentsRequest req = FormKeyFromComponentsRequest.read(r);
        List<byte[]> comps = req.components();
        byte[] xor = null;
        byte[] key = null;
        try {
            if (req.lmkScheme() == KeyScheme.P) {
                // an SM4 key (issue 17): no parity bits; the SM4 check value
                key = KeyComponents.combine(comps.toArray(new byte[0][]));
                return new KeyUnderLmkReply(ctx.sm4UnderLmk(req.keyType(), key),
                        dev.posgate.hsm.Kcv.of(dev.posgate.crypto.Kcv.ofSm4(key, 3)));
            }
            for (byte[] c : comps) {
                if (!Parity.isOdd(c)) {
                    throw error(HsmErrors.SOURCE_KEY_PARITY, "component parity error");
                }
            }
            xor = KeyComponents.combine(comps.toArray(new byte[0][]));
            key = Parity.adjustOdd(xor);
            return new KeyUnderLmkReply(ctx.underLmk(req.keyType(), key), kcv(key, 3));
        } finally {
            wipe(xor, key);
            for (byte[] c : comps) {
                wipe(c);
            }
        }
    }
}
