package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.error;
import static dev.posgate.hsm.sim.SimContext.requireLength;
import static dev.posgate.hsm.sim.SimContext.requireType;
import static dev.posgate.hsm.sim.SimContext.wipe;

import dev.posgate.crypto.CbcSeal;
import dev.posgate.crypto.IntegrityException;
import dev.posgate.crypto.Sm4;
import dev.posgate.crypto.Sm4CbcSeal;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.command.DataCipherReply;
import dev.posgate.hsm.command.DataCipherRequest;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.SealedBodyRequest;
import java.util.Arrays;
import java.util.Map;

/** M0 / M2: encrypt / decrypt a data block under a ZEK or DEK/TDK; Z0 / Z2: seal / open a TMS download body under a DWK. */
final class DataCommands {
    private final SimContext ctx;

    DataCommands(SimContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, CommandHandler> handlers) {
        handlers.put("M0", r -> cipher(r, true));
        handlers.put("M2", r -> cipher(r, false));
        handlers.put("Z0", r -> sealed(SealedBodyRequest.read(r, false)));
        handlers.put("Z2", r -> sealed(SealedBodyRequest.read(r, true)));
    }

    private HsmReply sealed(SealedBodyRequest req) {
        if (req.dwk().algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4) return sm4Sealed(req);
        byte[] in = req.data();
        if (req.open() ? in.length < CbcSeal.MIN_BODY || in.length % 8 != 0 : in.length == 0 || in.length % 8 != 0) {
            throw error("06", "sealed body or padded plaintext of a bad length");
        }
        byte[] key = ctx.clear(KeyType.DWK, req.dwk(), HsmErrors.SOURCE_KEY_PARITY);
        try {
            requireLength(key, 16);
            if (!req.open()) return new DataCipherReply(null, CbcSeal.seal(key, ctx.random.next(CbcSeal.IV), in), false);
            try {
                return new DataCipherReply(null, CbcSeal.open(key, in), false);
            } catch (IntegrityException e) {
                throw error(HsmErrors.VERIFICATION_FAILED, "sealed body MAC mismatch");
            }
        } finally {
            wipe(key);
        }
    }

    /** The SM4 sealed body under an SM4 DWK: IV (16) ‖ SM4-CBC ‖ SM4-CBC-MAC (16), docs/national-crypto.md. */
    private HsmReply sm4Sealed(SealedBodyRequest req) {
        byte[] in = req.data();
        if (req.open() ? in.length < Sm4CbcSeal.MIN_BODY || in.length % 16 != 0 : in.length == 0 || in.length % 16 != 0) {
            throw error("06", "sealed body or padded plaintext of a bad length");
        }
        byte[] key = ctx.clearSm4(KeyType.DWK, req.dwk());
        try {
            if (!req.open()) return new DataCipherReply(null, Sm4CbcSeal.seal(key, ctx.random.next(Sm4CbcSeal.IV), in), false);
            try {
                return new DataCipherReply(null, Sm4CbcSeal.open(key, in), false);
            } catch (IntegrityException e) {
                throw error(HsmErrors.VERIFICATION_FAILED, "sealed body MAC mismatch");
            }
        } finally {
            wipe(key);
        }
    }

    /** M0/M2 under an SM4 ZEK or TDK (scheme P): SM4-ECB or SM4-CBC, e.g. an SM4 terminal's track data block. */
    private HsmReply sm4Cipher(DataCipherRequest req, boolean encrypt) {
        byte[] key = ctx.clearSm4(req.keyType(), req.key());
        try {
            byte[] in = req.data();
            byte[] out;
            byte[] next = null;
            if (req.mode() == CipherMode.ECB) {
                out = encrypt ? Sm4.encryptEcb(key, in) : Sm4.decryptEcb(key, in);
            } else {
                out = encrypt ? Sm4.encryptCbc(key, req.iv(), in) : Sm4.decryptCbc(key, req.iv(), in);
                byte[] ct = encrypt ? out : in;
                next = Arrays.copyOfRange(ct, ct.length - 16, ct.length);
            }
            return new DataCipherReply(next, out, req.hexOutput());
        } finally {
            wipe(key);
        }
    }

    private HsmReply cipher(FieldReader r, boolean encrypt) {
        DataCipherRequest req = DataCipherRequest.read(r, encrypt);
        requireType(req.keyType(), KeyPolicy.DATA, "05");
        if (req.key().algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4) return sm4Cipher(req, encrypt);
        byte[] key = ctx.clear(req.keyType(), req.key(), HsmErrors.SOURCE_KEY_PARITY);
        try {
            byte[] in = req.data();
            byte[] out;
            byte[] next = null;
            if (req.mode() == CipherMode.ECB) {
                out = encrypt ? Tdes.encryptEcb(key, in) : Tdes.decryptEcb(key, in);
            } else {
                out = encrypt ? Tdes.encryptCbc(key, req.iv(), in) : Tdes.decryptCbc(key, req.iv(), in);
                byte[] ct = encrypt ? out : in;
                next = Arrays.copyOfRange(ct, ct.length - 8, ct.length);
            }
            return new DataCipherReply(next, out, req.hexOutput());
        } finally {
            wipe(key);
        }
    }
}
