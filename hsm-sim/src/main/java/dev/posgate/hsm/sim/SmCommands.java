package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.error;
import static dev.posgate.hsm.sim.SimContext.requireLength;
import static dev.posgate.hsm.sim.SimContext.requireType;
import static dev.posgate.hsm.sim.SimContext.wipe;

import dev.posgate.crypto.CryptoException;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlockException;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Sm2;
import dev.posgate.crypto.Sm4;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.WrappedKey;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.HsmReply;
import dev.posgate.hsm.command.Sm2GenerateKeyPairRequest;
import dev.posgate.hsm.command.Sm2ImportKeyRequest;
import dev.posgate.hsm.command.Sm2SignRequest;
import dev.posgate.hsm.command.Sm2SignatureReply;
import dev.posgate.hsm.command.Sm4ExportKeyRequest;
import dev.posgate.hsm.command.Sm4GenerateKeyRequest;
import dev.posgate.hsm.command.Sm4ImportKeyRequest;
import dev.posgate.hsm.command.Sm4KeyReply;
import dev.posgate.hsm.command.Sm4MacRequest;
import dev.posgate.hsm.command.Sm4TranslatePinRequest;
import dev.posgate.hsm.command.TranslatePinReply;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The national-algorithm commands (docs/hsm-protocol.md, "SM commands"): SM4 keys under the TDES
 * LMK (WI generate, SV import, ST export), SM4 MACs (Z4/Z6), SM4 PIN translation to an SM4 or TDES
 * ZPK (Z8), and SM2 key pairs (K1), signatures (K3) and key import (WO). SM4 check values are the
 * leftmost 8 bytes of SM4-ECB(key, 16 zero bytes).
 */
final class SmCommands {
    private static final Set<RsaKeyUsage> SIGNATURE = EnumSet.of(RsaKeyUsage.SIGNATURE, RsaKeyUsage.BOTH);

    private final SimContext ctx;

    SmCommands(SimContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, CommandHandler> handlers) {
        handlers.put("WI", this::generate);
        handlers.put("SV", this::importKey);
        handlers.put("ST", this::exportKey);
        handlers.put("Z4", r -> mac(Sm4MacRequest.read(r, false)));
        handlers.put("Z6", r -> mac(Sm4MacRequest.read(r, true)));
        handlers.put("Z8", this::translatePin);
        handlers.put("K1", this::generateSm2);
        handlers.put("K3", this::sign);
        handlers.put("WO", this::importUnderSm2);
        handlers.put("ZY", this::unwrapSm2Tk);
        handlers.put("WQ", this::sm2KeyLoaderExchange);
    }

    static dev.posgate.hsm.Kcv kcv(byte[] sm4Key) {
        return dev.posgate.hsm.Kcv.of(Kcv.ofSm4(sm4Key, Sm4KeyReply.KCV_BYTES));
    }

    /** The clear KEK: an SM4 key, or a double/triple-length TDES key (odd parity). */
    private byte[] kek(KeyType type, LmkKey kek) {
        if (kek.algorithm() == KeyAlgorithm.SM4) {
            return ctx.clearSm4(type, kek);
        }
        byte[] k = ctx.clear(type, kek, HsmErrors.SOURCE_KEY_PARITY);
        try {
            requireLength(k, 16, 24);
            return k;
        } catch (HsmCommandException e) {
            wipe(k);
            throw e;
        }
    }

    /** An SM4 key under a KEK: SM4-ECB under an SM4 KEK, TDES-ECB of both halves under a TDES KEK. */
    private static WrappedKey wrap(KeyAlgorithm kekAlgorithm, byte[] kek, byte[] key) {
        byte[] c = kekAlgorithm == KeyAlgorithm.SM4 ? Sm4.encryptEcb(kek, key) : Tdes.encryptEcb(kek, key);
        return WrappedKey.of(KeyScheme.P, c);
    }

    private static byte[] unwrap(KeyAlgorithm kekAlgorithm, byte[] kek, byte[] cryptogram) {
        return kekAlgorithm == KeyAlgorithm.SM4 ? Sm4.decryptEcb(kek, cryptogram) : Tdes.decryptEcb(kek, cryptogram);
    }

    private static Set<KeyType> exportable(Wrapping w) {
        return KeyPolicy.SM4_EXPORTABLE.get(w);
    }

    private HsmReply generate(FieldReader r) {
        Sm4GenerateKeyRequest req = Sm4GenerateKeyRequest.read(r);
        requireType(req.keyType(), req.exports() ? exportable(req.wrapping()) : KeyPolicy.SM4, HsmErrors.INVALID_KEY_TYPE);
        byte[] key = ctx.random.next(Sm4.KEY);
        byte[] kek = null;
        try {
            WrappedKey wrapped = null;
            if (req.exports()) {
                kek = kek(req.wrapping().kekType(), req.kek());
                wrapped = wrap(req.kek().algorithm(), kek, key);
            }
            return new Sm4KeyReply(ctx.sm4UnderLmk(req.keyType(), key), wrapped, kcv(key));
        } finally {
            wipe(key, kek);
        }
    }

    private HsmReply importKey(FieldReader r) {
        Sm4ImportKeyRequest req = Sm4ImportKeyRequest.read(r);
        requireType(req.keyType(), exportable(Wrapping.ZMK), HsmErrors.INVALID_KEY_TYPE);
        byte[] zmk = kek(KeyType.ZMK, req.zmk());
        byte[] key = null;
        try {
            key = unwrap(req.zmk().algorithm(), zmk, req.key().cryptogram());
            return new Sm4KeyReply(ctx.sm4UnderLmk(req.keyType(), key), null, kcv(key));
        } finally {
            wipe(zmk, key);
        }
    }

    private HsmReply exportKey(FieldReader r) {
        Sm4ExportKeyRequest req = Sm4ExportKeyRequest.read(r);
        requireType(req.keyType(), exportable(req.wrapping()), HsmErrors.INVALID_KEY_TYPE);
        byte[] kek = kek(req.wrapping().kekType(), req.kek());
        byte[] key = null;
        try {
            key = ctx.clearSm4(req.keyType(), req.key());
            return new Sm4ExportKeyRequest.Reply(wrap(req.kek().algorithm(), kek, key), kcv(key));
        } finally {
            wipe(kek, key);
        }
    }

    private HsmReply mac(Sm4MacRequest req) {
        requireType(req.keyType(), KeyPolicy.SM4_MAC, HsmErrors.INVALID_KEY_TYPE);
        byte[] key = ctx.clearSm4(req.keyType(), req.key());
        try {
            byte[] data = req.data();
            byte[] mac = req.algorithm().isCbcMac()
                    ? Macs.sm4CbcMac(key, data, req.algorithm().padding())
                    : Macs.unionPaySm4(key, data);
            if (!req.isVerify()) {
                return Sm4MacRequest.reply(req.algorithm(), mac);
            }
            byte[] expected = req.mac();
            return MacCommands.verified(Macs.verify(Arrays.copyOf(mac, expected.length), expected));
        } finally {
            wipe(key);
        }
    }

    private HsmReply translatePin(FieldReader r) {
        Sm4TranslatePinRequest req = Sm4TranslatePinRequest.read(r);
        requireType(req.sourceKeyType(), KeyPolicy.SM4_PIN_SOURCE, HsmErrors.INVALID_KEY_TYPE);
        byte[] src = ctx.clearSm4(req.sourceKeyType(), req.sourceKey());
        byte[] dst = null;
        byte[] clearIn = null;
        byte[] clearOut = null;
        try {
            boolean sm4Destination = req.destinationKey().algorithm() == KeyAlgorithm.SM4;
            dst = sm4Destination ? ctx.clearSm4(KeyType.ZPK, req.destinationKey())
                    : ctx.clear(KeyType.ZPK, req.destinationKey(), HsmErrors.DESTINATION_KEY_PARITY);
            clearIn = Sm4.decryptEcb(src, req.pinBlock());
            String pin;
            try {
                pin = PinBlocks.pinFromSm4Format0ForAccount(clearIn, req.account());
            } catch (PinBlockException e) {
                throw error(HsmErrors.INVALID_PIN_BLOCK, "SM4 PIN block does not decode");
            }
            if (pin.length() > req.maxPinLength()) {
                throw error(HsmErrors.PIN_LENGTH, "PIN longer than the maximum");
            }
            byte[] out;
            if (sm4Destination) {
                clearOut = PinBlocks.sm4Format0ForAccount(pin, req.account());
                out = Sm4.encryptEcb(dst, clearOut);
            } else {
                clearOut = PinBlocks.format0ForAccount(pin, req.account());
                out = Tdes.encryptEcb(dst, clearOut);
            }
            return new TranslatePinReply(pin.length(), out, PinBlockFormat.ISO_0);
        } finally {
            wipe(src, dst, clearIn, clearOut);
        }
    }

    private HsmReply generateSm2(FieldReader r) {
        Sm2GenerateKeyPairRequest req = Sm2GenerateKeyPairRequest.read(r);
        Sm2.KeyPair kp = Sm2.generate(ctx.secureRandom);
        byte[] d = kp.privateKey();
        try {
            return new Sm2GenerateKeyPairRequest.Reply(Sm2KeyBlob.wrap(ctx.lmk, req.usage(), d, ctx.random),
                    kp.publicKey());
        } finally {
            wipe(d);
        }
    }

    private Sm2KeyBlob.Unwrapped sm2Key(dev.posgate.hsm.LmkSm2PrivateKey key, Set<RsaKeyUsage> usages) {
        Sm2KeyBlob.Unwrapped k = Sm2KeyBlob.unwrap(ctx.lmk, key);
        if (!usages.contains(k.usage())) {
            wipe(k.d());
            throw error(HsmErrors.FUNCTION_NOT_PERMITTED, "SM2 key usage " + k.usage() + " not permitted");
        }
        return k;
    }

    private HsmReply sign(FieldReader r) {
        Sm2SignRequest req = Sm2SignRequest.read(r);
        byte[] d = sm2Key(req.privateKey(), SIGNATURE).d();
        try {
            byte[] userId = req.userId();
            byte[] rs = Sm2.sign(d, userId == null ? Sm2.DEFAULT_USER_ID.getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                    : userId, req.data(), ctx.secureRandom);
            return new Sm2SignatureReply(rs);
        } finally {
            wipe(d);
        }
    }

    /**
     * ZY: the SM2 TK block of an SM4 terminal, two C1C3C2 ciphertexts (TEK, AUK); any failure is
     * 01 with no detail (no decryption oracle).
     */
    private HsmReply unwrapSm2Tk(FieldReader r) {
        dev.posgate.hsm.command.Sm2UnwrapTransmissionKeyRequest req = dev.posgate.hsm.command.Sm2UnwrapTransmissionKeyRequest.read(r);
        byte[] block = req.block();
        if (block.length != dev.posgate.hsm.command.Sm2UnwrapTransmissionKeyRequest.BLOCK) {
            throw error(HsmErrors.INVALID_INPUT, "SM2 TK block must be " + dev.posgate.hsm.command.Sm2UnwrapTransmissionKeyRequest.BLOCK + " bytes");
        }
        int c = dev.posgate.hsm.command.Sm2UnwrapTransmissionKeyRequest.CIPHERTEXT;
        byte[] d = sm2Key(req.privateKey(), SimContext.KEY_MANAGEMENT).d();
        byte[] tek = null;
        byte[] auk = null;
        try {
            try {
                tek = Sm2.decrypt(d, java.util.Arrays.copyOfRange(block, 0, c));
                auk = Sm2.decrypt(d, java.util.Arrays.copyOfRange(block, c, 2 * c));
            } catch (CryptoException | IllegalArgumentException e) {
                throw error(HsmErrors.VERIFICATION_FAILED, "SM2 TK block does not decrypt");
            }
            if (tek.length != Sm4.KEY || auk.length != Sm4.KEY) {
                throw error(HsmErrors.VERIFICATION_FAILED, "SM2 TK block does not decrypt");
            }
            return new dev.posgate.hsm.command.TransmissionKeysReply(ctx.sm4UnderLmk(KeyType.TEK, tek), dev.posgate.hsm.Kcv.of(kcv(tek).first(4)),
                    ctx.sm4UnderLmk(KeyType.AUK, auk), dev.posgate.hsm.Kcv.of(kcv(auk).first(4)));
        } finally {
            wipe(d, tek, auk);
        }
    }

    /** WQ: SM2 block → Rnd1 ‖ Rnd2; Ctmk = SM4-ECB(Rnd1, TMK); Ctmk ‖ Rnd2 ‖ SM3withSM2 signature. */
    private HsmReply sm2KeyLoaderExchange(FieldReader r) {
        dev.posgate.hsm.command.Sm2KeyLoaderExchangeRequest req = dev.posgate.hsm.command.Sm2KeyLoaderExchangeRequest.read(r);
        byte[] d = sm2Key(req.loaderKey(), SimContext.BOTH).d();
        byte[] tmk = null;
        byte[] plain = null;
        byte[] rnd1 = null;
        try {
            tmk = ctx.clearSm4(KeyType.TMK, req.tmk());
            try {
                plain = Sm2.decrypt(d, req.block());
            } catch (CryptoException | IllegalArgumentException e) {
                throw error(HsmErrors.VERIFICATION_FAILED, "SM2 block does not decrypt");
            }
            if (plain.length != 24) throw error(HsmErrors.VERIFICATION_FAILED, "SM2 block does not decrypt");
            rnd1 = java.util.Arrays.copyOf(plain, 16);
            byte[] data = new byte[24];
            System.arraycopy(Sm4.encryptEcb(rnd1, tmk), 0, data, 0, 16);
            System.arraycopy(plain, 16, data, 16, 8);
            byte[] sig = Sm2.sign(d, Sm2.DEFAULT_USER_ID.getBytes(java.nio.charset.StandardCharsets.US_ASCII), data, ctx.secureRandom);
            byte[] out = java.util.Arrays.copyOf(data, 24 + sig.length);
            System.arraycopy(sig, 0, out, 24, sig.length);
            return new dev.posgate.hsm.command.KeyLoaderExchangeReply(out, dev.posgate.hsm.Kcv.of(kcv(tmk).first(4)));
        } finally {
            wipe(d, tmk, plain, rnd1);
        }
    }

    private HsmReply importUnderSm2(FieldReader r) {
        Sm2ImportKeyRequest req = Sm2ImportKeyRequest.read(r);
        requireType(req.keyType(), KeyPolicy.SM4, HsmErrors.INVALID_KEY_TYPE);
        byte[] d = sm2Key(req.privateKey(), SimContext.KEY_MANAGEMENT).d();
        byte[] key = null;
        try {
            try {
                key = Sm2.decrypt(d, req.ciphertext());
            } catch (CryptoException | IllegalArgumentException e) {
                throw error(HsmErrors.VERIFICATION_FAILED, "SM2 ciphertext does not decrypt");
            }
            if (key.length != Sm4.KEY) {
                throw error(HsmErrors.VERIFICATION_FAILED, "SM2 plaintext is not a 16-byte key");
            }
            return new Sm4KeyReply(ctx.sm4UnderLmk(req.keyType(), key), null, kcv(key));
        } finally {
            wipe(d, key);
        }
    }
}
