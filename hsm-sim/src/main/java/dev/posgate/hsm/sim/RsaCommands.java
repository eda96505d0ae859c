package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.error;
import static dev.posgate.hsm.sim.SimContext.kcv;
import static dev.posgate.hsm.sim.SimContext.requireType;
import static dev.posgate.hsm.sim.SimContext.wipe;

import dev.posgate.crypto.CryptoException;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.GenerateRsaKeyPairRequest;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.ImportKeyUnderRsaRequest;
import dev.posgate.hsm.command.KeyLoaderExchangeReply;
import dev.posgate.hsm.command.KeyLoaderExchangeRequest;
import dev.posgate.hsm.command.KeyUnderLmkReply;
import dev.posgate.hsm.command.RsaKeyPairReply;
import dev.posgate.hsm.command.TransmissionKeysReply;
import dev.posgate.hsm.command.UnwrapTransmissionKeyRequest;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Map;

/**
 * The RSA commands (milliseconds each; run on the worker pool by the simulator): EI, GI, ZI
 * (K-flow TK unwrap), ZQ (L-flow key-loader exchange).
 */
final class RsaCommands {
    private final SimContext ctx;

    RsaCommands(SimContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, CommandHandler> handlers) {
        handlers.put("EI", this::generate);
        handlers.put("GI", this::importKey);
        handlers.put("ZI", this::unwrapTk);
        handlers.put("ZQ", this::keyLoaderExchange);
    }

    private HsmReply generate(FieldReader r) {
        GenerateRsaKeyPairRequest req = GenerateRsaKeyPairRequest.read(r);
        KeyPair kp;
        try {
            kp = Rsa.generate(req.bits(), ctx.secureRandom);
        } catch (CryptoException e) {
            throw error(HsmErrors.RSA_KEY_GENERATION, "RSA key generation failed");
        }
        return new RsaKeyPairReply(Rsa.encodePublicKey(kp.getPublic()),
                RsaKeyBlob.wrap(ctx.lmk, req.usage(), kp.getPrivate(), ctx.random));
    }

    /** OAEP decryption; any failure (length, padding) is error 01, with no detail. */
    private static byte[] oaepDecrypt(PrivateKey key, byte[] block) {
        try {
            return Rsa.oaepDecrypt(key, block);
        } catch (CryptoException | IllegalArgumentException e) {
            throw error(HsmErrors.VERIFICATION_FAILED, "RSA block does not decrypt");
        }
    }

    private HsmReply importKey(FieldReader r) {
        ImportKeyUnderRsaRequest req = ImportKeyUnderRsaRequest.read(r);
        requireType(req.keyType(), KeyPolicy.UNDER_RSA, HsmErrors.INVALID_KEY_TYPE);
        PrivateKey pk = ctx.privateKey(req.privateKey(), SimContext.KEY_MANAGEMENT).key();
        byte[] key = oaepDecrypt(pk, req.encryptedKey());
        try {
            if (key.length != req.lmkScheme().keyLength() || !Parity.isOdd(key)) {
                throw error(HsmErrors.VERIFICATION_FAILED, "imported key has the wrong length or parity");
            }
            return new KeyUnderLmkReply(ctx.underLmk(req.keyType(), key), kcv(key, 3));
        } finally {
            wipe(key);
        }
    }

    private HsmReply unwrapTk(FieldReader r) {
        UnwrapTransmissionKeyRequest req = UnwrapTransmissionKeyRequest.read(r);
        PrivateKey pk = ctx.privateKey(req.privateKey(), SimContext.KEY_MANAGEMENT).key();
        byte[] block = oaepDecrypt(pk, req.block());
        TransmissionKeyBlock tk;
        try {
            tk = TransmissionKeyBlock.decode(block);
        } catch (CryptoException | IllegalArgumentException e) {
            throw error(HsmErrors.VERIFICATION_FAILED, "TK block hash mismatch or bad length");
        } finally {
            wipe(block);
        }
        byte[] tekRaw = tk.tek();
        byte[] aukRaw = tk.auk();
        // DES ignores parity bits: adjusting them changes no result, and keys under the LMK must be odd
        byte[] tek = Parity.adjustOdd(tekRaw);
        byte[] auk = Parity.adjustOdd(aukRaw);
        try {
            return new TransmissionKeysReply(ctx.underLmk(KeyType.TEK, tek), kcv(tek, 4),
                    ctx.underLmk(KeyType.AUK, auk), kcv(auk, 4));
        } finally {
            wipe(tekRaw, aukRaw, tek, auk);
        }
    }

    private HsmReply keyLoaderExchange(FieldReader r) {
        KeyLoaderExchangeRequest req = KeyLoaderExchangeRequest.read(r);
        PrivateKey pk = ctx.privateKey(req.loaderKey(), SimContext.BOTH).key();
        byte[] tmk = ctx.clear(KeyType.TMK, req.tmk(), HsmErrors.DESTINATION_KEY_PARITY);
        byte[] plain = null;
        byte[] rnd1 = null;
        byte[] inner = null;
        try {
            plain = oaepDecrypt(pk, req.block());
            if (plain.length != 24) {
                throw error(HsmErrors.VERIFICATION_FAILED, "RSA block is not Rnd1(16) || Rnd2(8)");
            }
            rnd1 = Arrays.copyOf(plain, 16);
            byte[] ctmk = Tdes.encryptEcb(rnd1, tmk);
            inner = new byte[ctmk.length + 8];
            System.arraycopy(ctmk, 0, inner, 0, ctmk.length);
            System.arraycopy(plain, 16, inner, ctmk.length, 8);
            byte[] out;
            try {
                out = Rsa.privateEncryptPkcs1Type1(pk, inner);
            } catch (IllegalArgumentException e) {
                throw error(HsmErrors.DATA_LENGTH, "modulus too short for Ctmk || Rnd2");
            }
            return new KeyLoaderExchangeReply(out, kcv(tmk, 4));
        } finally {
            wipe(tmk, plain, rnd1, inner);
        }
    }
}
