package dev.posgate.load.gatling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.AukProof;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import dev.posgate.crypto.Sm2;
import dev.posgate.testing.Sm4Reference;
import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Arrays;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KmsDeviceTest {
    @Test
    void theKmsOpensTheTkBlockAndTheTmkIsInstalledOnlyWithItsKcv() {
        KeyPair kms = Rsa.generate(2048, new SecureRandom());
        KmsDevice device = new KmsDevice(kms.getPublic(), RandomSource.secure());
        // What the HSM does at K2 (ZI): open Ctk_Pu with the KMS private key.
        TransmissionKeyBlock tk = TransmissionKeyBlock.decode(Rsa.oaepDecrypt(kms.getPrivate(), device.tkBlock()));
        byte[] rnd = {1, 2, 3, 4, 5, 6, 7, 8};
        assertArrayEquals(AukProof.of(AukProof.Direction.TERMINAL, tk.auk(), rnd), device.terminalProof(rnd));
        assertTrue(device.kmsProofMatches(rnd, AukProof.of(AukProof.Direction.KMS, tk.auk(), rnd)));
        assertFalse(device.kmsProofMatches(rnd, device.terminalProof(rnd)), "its own proof reflected is no KMS proof");

        byte[] tmk = Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] underTek = Tdes.encryptEcb(tk.tek(), tmk);
        byte[] wrongKcv = Kcv.of(tmk, 4).clone();
        wrongKcv[0] ^= 1;
        assertFalse(device.installTmk(1, underTek, wrongKcv));
        assertNull(device.tmk());
        assertTrue(device.installTmk(1, underTek, Kcv.of(tmk, 4)));
        assertArrayEquals(tmk, device.tmk());
    }

    /**
     * The SM4 device (SM2 K-flow), checked with BouncyCastle's engines directly: SM2Engine (C1C3C2)
     * opens both halves of the TK block, SM4Engine makes the proofs (AUK ⊕ 0x4B / 0x54 repeated,
     * docs/kms.md "K-flow with SM2"), wraps the TMK under TEK and gives its KCV.
     */
    @Test
    void anSm4DevicesTkBlockOpensWithSm2AndItsProofsAndTmkAreSm4() throws Exception {
        Sm2.KeyPair kms = Sm2.generate(new SecureRandom());
        KmsDevice device = KmsDevice.sm4(kms.publicKey(), RandomSource.secure());
        assertTrue(device.sm());
        byte[] block = device.tkBlock();
        assertTrue(block.length == 2 * (16 + 97), "two C1C3C2 of a 16-byte key: " + block.length);
        byte[] tek = sm2Decrypt(kms.privateKey(), Arrays.copyOfRange(block, 0, 113));
        byte[] auk = sm2Decrypt(kms.privateKey(), Arrays.copyOfRange(block, 113, 226));

        byte[] rnd = RandomSource.secure().next(16);
        assertArrayEquals(Sm4Reference.ecbEncrypt(xor(auk, 0x54), rnd), device.terminalProof(rnd));
        assertTrue(device.kmsProofMatches(rnd, Sm4Reference.ecbEncrypt(xor(auk, 0x4B), rnd)));
        assertFalse(device.kmsProofMatches(rnd, device.terminalProof(rnd)));

        byte[] tmk = RandomSource.secure().next(16);
        byte[] underTek = Sm4Reference.ecbEncrypt(tek, tmk);
        byte[] kcv = Arrays.copyOf(Sm4Reference.ecbEncrypt(tmk, new byte[16]), 4);
        assertFalse(device.installTmk(1, underTek, Kcv.of(Arrays.copyOf(tmk, 16), 4)), "a TDES KCV is not the SM4 one");
        assertNull(device.tmk());
        assertTrue(device.installTmk(1, underTek, kcv));
        assertArrayEquals(tmk, device.tmk());
    }

    private static byte[] sm2Decrypt(byte[] d, byte[] c) throws Exception {
        X9ECParameters curve = GMNamedCurves.getByName("sm2p256v1");
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(false, new ECPrivateKeyParameters(new BigInteger(1, d), new ECDomainParameters(curve)));
        return engine.processBlock(c, 0, c.length);
    }

    private static byte[] xor(byte[] key, int variant) {
        byte[] out = key.clone();
        for (int i = 0; i < out.length; i++) out[i] ^= (byte) variant;
        return out;
    }
}
