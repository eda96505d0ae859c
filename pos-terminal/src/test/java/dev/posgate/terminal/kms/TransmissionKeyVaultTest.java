package dev.posgate.terminal.kms;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.crypto.IntegrityException;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.testing.Sm4Reference;
import org.junit.jupiter.api.Test;

/** The TK hash is checked on every use: a corrupted TK is erased and never used. */
class TransmissionKeyVaultTest {

    @Test
    void corruptedTkIsErasedOnNextUse() {
        TransmissionKeyVault vault = new TransmissionKeyVault(new PinPad());
        vault.generate(RandomSource.secure());
        assertEquals(8, vault.terminalProof(new byte[8]).length);
        vault.corruptForTest();
        assertThrows(IntegrityException.class, () -> vault.terminalProof(new byte[8]));
        assertFalse(vault.present());
        assertThrows(IllegalStateException.class, () -> vault.installTmk(1, new byte[16], new byte[4]));
    }

    @Test
    void tmkWithAWrongKcvIsNotInstalled() {
        PinPad pad = new PinPad();
        TransmissionKeyVault vault = new TransmissionKeyVault(pad);
        vault.generate(RandomSource.secure());
        byte[] tmk = RandomSource.secure().next(16);
        // not under this TEK: the decrypted key's KCV cannot match the TMK's
        assertFalse(vault.installTmk(1, Tdes.encryptEcb(RandomSource.secure().next(16), tmk), Kcv.of(tmk, 4)));
        assertFalse(pad.has(1, KeyRole.TMK));
    }

    /**
     * The SM family: the TK block is SM2(Pk, TEK) ‖ SM2(Pk, AUK), opened here with BouncyCastle's
     * SM2Engine (C1C3C2) called directly; the proofs are SM4-ECB(AUK ⊕ variant, 16-byte random) and
     * the TMK is SM4-ECB under TEK with its SM4 KCV, each checked with SM4Engine.
     */
    @Test
    void smTransmissionKeyIsSealedWithSm2AndUsedWithSm4() throws Exception {
        PinPad pad = new PinPad();
        TransmissionKeyVault vault = new TransmissionKeyVault(pad);
        vault.generate(RandomSource.secure(), true);
        dev.posgate.crypto.Sm2.KeyPair kms = dev.posgate.crypto.Sm2.generate(new java.security.SecureRandom());
        byte[] block = vault.sealForSm2(kms.publicKey());
        assertEquals(226, block.length);

        org.bouncycastle.asn1.x9.X9ECParameters x9 = org.bouncycastle.asn1.gm.GMNamedCurves.getByName("sm2p256v1");
        org.bouncycastle.crypto.params.ECDomainParameters domain = new org.bouncycastle.crypto.params.ECDomainParameters(
                x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        org.bouncycastle.crypto.engines.SM2Engine engine = new org.bouncycastle.crypto.engines.SM2Engine(
                org.bouncycastle.crypto.engines.SM2Engine.Mode.C1C3C2);
        engine.init(false, new org.bouncycastle.crypto.params.ECPrivateKeyParameters(
                new java.math.BigInteger(1, kms.privateKey()), domain));
        byte[] tek = engine.processBlock(block, 0, 113);
        byte[] auk = engine.processBlock(block, 113, 113);
        assertEquals(16, tek.length);
        assertEquals(16, auk.length);

        byte[] rnd = RandomSource.secure().next(16);
        assertArrayEquals(Sm4Reference.ecbEncrypt(xor(auk, 0x54), rnd), vault.terminalProof(rnd));
        assertTrue(vault.kmsProofMatches(rnd, Sm4Reference.ecbEncrypt(xor(auk, 0x4B), rnd)));
        assertFalse(vault.kmsProofMatches(rnd, Sm4Reference.ecbEncrypt(xor(auk, 0x54), rnd)), "its own direction is no KMS proof");

        byte[] tmk = RandomSource.secure().next(16);
        byte[] kcv = java.util.Arrays.copyOf(Sm4Reference.ecbEncrypt(tmk, new byte[16]), 4);
        assertTrue(vault.installTmk(1, Sm4Reference.ecbEncrypt(tek, tmk), kcv));
        assertTrue(pad.has(1, KeyRole.TMK));
        assertFalse(vault.installTmk(2, Sm4Reference.ecbEncrypt(tek, tmk), Kcv.of(tmk, 4)), "a TDES KCV does not pass for an SM4 TMK");
    }

    private static byte[] xor(byte[] key, int v) {
        byte[] k = key.clone();
        for (int i = 0; i < k.length; i++) k[i] ^= (byte) v;
        return k;
    }
}
