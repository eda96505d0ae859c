package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.assertHsmError;
import static dev.posgate.hsm.sim.SimTestSupport.await;
import static dev.posgate.hsm.sim.SimTestSupport.form;
import static dev.posgate.hsm.sim.SimTestSupport.randomKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.AukProof;
import dev.posgate.crypto.CbcSeal;
import dev.posgate.crypto.Diversification;
import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PaddingMethod;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.Diagnostics;
import dev.posgate.hsm.ExportedKey;
import dev.posgate.hsm.GeneratedKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyLoaderExchange;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.hsm.MacParams;
import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.PinTranslation;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.RsaKeyPair;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.TransmissionKeys;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.WrappedKey;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every command through {@link RemoteHsm} over a real loopback TCP connection to
 * {@link HsmSimulator}, checked against the crypto module computed independently here.
 */
@ExtendWith(VertxExtension.class)
class HsmRoundTripTest {
    static final Lmk LMK = Lmk.generate(RandomSource.secure());
    static HsmSimulator sim;
    static SingleConnectionTransport transport;
    static Hsm hsm;
    /** One RSA pair for the class (key generation costs hundreds of milliseconds). */
    static RsaKeyPair kms;

    @BeforeAll
    static void start(Vertx vertx) {
        sim = await(HsmSimulator.start(vertx, HsmSimConfig.builder().port(0).lmk(LMK)
                .allowClearComponents(true).workerPoolSize(2)
                .authorisation(Authorisation.of(Authorisation.GATED, java.time.Duration.ofHours(1))).build()));
        transport = await(SingleConnectionTransport.connect(vertx, sim.port(), 4));
        hsm = new RemoteHsm(transport);
        kms = await(hsm.generateRsaKeyPair(RsaKeyUsage.BOTH, 2048));
    }

    @AfterAll
    static void stop() {
        await(transport.close());
        await(sim.stop());
    }

    @Test
    void diagnosticsReportLmkCheckValue() {
        Diagnostics d = await(hsm.diagnostics());
        assertEquals(LMK.checkValue(), d.lmkCheckValue());
        assertEquals(Hex.encode(Tdes.encryptEcb(Hex.decode("0123456789ABCDEF0123456789ABCDEF"), new byte[8])).length(),
                d.lmkCheckValue().length());
        assertEquals(HsmSimConfig.FIRMWARE, d.firmware());
    }

    @Test
    void formedKeysHavePublishedCheckValues() {
        byte[] single = Hex.decode("0123456789ABCDEF");
        LmkKey z = form(hsm, KeyType.ZMK, single);
        assertEquals(KeyScheme.Z, z.scheme());
        assertEquals("D5D44FF720683D0D", await(hsm.kcv(KeyType.ZMK, z)).hex());
        LmkKey u = form(hsm, KeyType.ZMK, Hex.decode("0123456789ABCDEFFEDCBA9876543210"));
        assertEquals(Kcv.hex6(Hex.decode("0123456789ABCDEFFEDCBA9876543210")),
                await(hsm.kcv(KeyType.ZMK, u)).hex().substring(0, 6));
        // two components: the XOR is parity-adjusted
        byte[] c1 = randomKey(16);
        byte[] c2 = randomKey(16);
        KeyWithKcv k2 = await(hsm.formKeyFromComponents(KeyType.TMK, KeyScheme.U, c1, c2));
        byte[] xor = new byte[16];
        for (int i = 0; i < 16; i++) {
            xor[i] = (byte) (c1[i] ^ c2[i]);
        }
        assertEquals(Kcv.hex6(xor), k2.kcv().hex());
    }

    @Test
    void generateKeyUnderLmkAndCheckValue() {
        KeyWithKcv k = await(hsm.generateKey(KeyType.ZPK));
        assertEquals(KeyScheme.U, k.key().scheme());
        assertEquals(8, k.kcv().length());
        assertEquals(k.kcv(), await(hsm.kcv(KeyType.ZPK, k.key())));
        KeyWithKcv t = await(hsm.generateKey(KeyType.ZMK, KeyScheme.T));
        assertEquals(24, t.key().length());
        KeyWithKcv z = await(hsm.generateKey(KeyType.TAK, KeyScheme.Z));
        assertEquals(8, z.key().length());
        assertNotEquals(k.key(), await(hsm.generateKey(KeyType.ZPK)).key());
    }

    @Test
    void signOnWorkingKeysUnderTmk() {
        byte[] tmkClear = randomKey(16);
        LmkKey tmk = form(hsm, KeyType.TMK, tmkClear);
        for (KeyType t : new KeyType[] {KeyType.PIK, KeyType.MAK, KeyType.TDK}) {
            GeneratedKey g = await(hsm.generateKeyUnder(t, Wrapping.TMK, tmk));
            assertEquals(KeyScheme.X, g.underWrapping().scheme());
            byte[] clear = Tdes.decryptEcb(tmkClear, g.underWrapping().cryptogram());
            assertArrayEquals(Kcv.of(clear, 8), g.kcv().bytes());
            assertArrayEquals(Kcv.of(clear, 4), g.kcv().first(4));
            assertEquals(g.kcv(), await(hsm.kcv(t, g.underLmk())));
        }
        GeneratedKey legacy = await(hsm.generateKeyUnder(KeyType.PIK, KeyScheme.Z, Wrapping.TMK, tmk));
        assertEquals(KeyScheme.Z, legacy.underWrapping().scheme());
        assertArrayEquals(Kcv.of(Tdes.decryptEcb(tmkClear, legacy.underWrapping().cryptogram()), 8), legacy.kcv().bytes());
    }

    @Test
    void importAndExportUnderZmk() {
        byte[] zmkClear = randomKey(16);
        LmkKey zmk = form(hsm, KeyType.ZMK, zmkClear);
        byte[] zpkClear = randomKey(16);
        WrappedKey underZmk = WrappedKey.ofCryptogram(Tdes.encryptEcb(zmkClear, zpkClear));
        KeyWithKcv imported = await(hsm.importKey(KeyType.ZPK, zmk, underZmk));
        assertArrayEquals(Kcv.of(zpkClear, 8), imported.kcv().bytes());
        ExportedKey back = await(hsm.exportKey(KeyType.ZPK, Wrapping.ZMK, zmk, imported.key()));
        assertEquals(underZmk, back.key());
        assertEquals(imported.kcv(), back.kcv());
        // bad parity of the imported key: 01
        byte[] even = zpkClear.clone();
        even[3] ^= 1;
        assertHsmError("01", hsm.importKey(KeyType.ZPK, zmk, WrappedKey.ofCryptogram(Tdes.encryptEcb(zmkClear, even))));
    }

    @Test
    void pinTranslationTpkToZpkAndZpkToZpk() {
        byte[] tpkClear = randomKey(16);
        byte[] zpkClear = randomKey(16);
        byte[] zpk2Clear = randomKey(16);
        LmkKey tpk = form(hsm, KeyType.TPK, tpkClear);
        LmkKey zpk = form(hsm, KeyType.ZPK, zpkClear);
        LmkKey zpk2 = form(hsm, KeyType.ZPK, zpk2Clear);
        String pan = "43219876543210987";
        byte[] clearBlock = PinBlocks.format0("1234", pan);
        assertEquals("0412AC89ABCDEF67", Hex.encode(clearBlock));
        PinTranslation t = await(hsm.translatePin(tpk, zpk, Tdes.encryptEcb(tpkClear, clearBlock), pan));
        assertEquals(4, t.pinLength());
        assertEquals(PinBlockFormat.ISO_0, t.format());
        assertEquals("0412AC89ABCDEF67", Hex.encode(Tdes.decryptEcb(zpkClear, t.pinBlock())));

        PinTranslation t3 = await(hsm.translatePinZpkToZpk(zpk, zpk2, t.pinBlock(), PinBlockFormat.ISO_0,
                PinBlockFormat.ISO_3, pan));
        assertEquals(PinBlockFormat.ISO_3, t3.format());
        assertEquals("1234", PinBlocks.pinFromFormat3(Tdes.decryptEcb(zpk2Clear, t3.pinBlock()), pan));

        String pan2 = "6225880112345678";
        byte[] b12 = PinBlocks.format0("123456789012", pan2);
        PinTranslation t12 = await(hsm.translatePin(tpk, zpk, Tdes.encryptEcb(tpkClear, b12), pan2));
        assertEquals(12, t12.pinLength());
        assertEquals("123456789012", PinBlocks.pinFromFormat0(Tdes.decryptEcb(zpkClear, t12.pinBlock()), pan2));

        // wrong PAN: the block does not decode (20); destination key of the wrong type: parity (11)
        assertHsmError("20", hsm.translatePin(tpk, zpk, Tdes.encryptEcb(tpkClear, clearBlock), "4321987654321000"));
        assertHsmError("11", hsm.translatePin(tpk, tpk, Tdes.encryptEcb(tpkClear, clearBlock), pan));
        assertHsmError("10", hsm.translatePin(zpk, zpk, Tdes.encryptEcb(tpkClear, clearBlock), pan));
    }

    @Test
    void macGenerateAndVerifyIso9797() {
        byte[] takClear = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
        LmkKey tak = form(hsm, KeyType.TAK, takClear);
        byte[] msg = "Now is the time for all ".getBytes(StandardCharsets.US_ASCII);
        assertEquals("A1C72E74EA3FA9B6", Hex.encode(await(hsm.generateMac(KeyType.TAK, tak, MacParams.X9_19, msg))));
        assertTrue(await(hsm.verifyMac(KeyType.TAK, tak, MacParams.X9_19, msg, Hex.decode("A1C72E74EA3FA9B6"))));
        assertFalse(await(hsm.verifyMac(KeyType.TAK, tak, MacParams.X9_19, msg, Hex.decode("A1C72E74EA3FA9B7"))));

        byte[] zakClear = randomKey(16);
        LmkKey zak = form(hsm, KeyType.ZAK, zakClear);
        byte[] data = RandomSource.secure().next(45);
        MacParams p = new MacParams(MacAlgorithm.ISO9797_ALG1, PaddingMethod.METHOD_2, 4);
        byte[] mac = await(hsm.generateMac(KeyType.ZAK, zak, p, data));
        assertArrayEquals(Arrays.copyOf(Macs.iso9797Alg1(zakClear, data, PaddingMethod.METHOD_2), 4), mac);
        assertTrue(await(hsm.verifyMac(KeyType.ZAK, zak, p, data, mac)));
        data[0] ^= 1;
        assertFalse(await(hsm.verifyMac(KeyType.ZAK, zak, p, data, mac)));
        // the key is a ZAK: presented as a TAK it decrypts under another variant -> parity error
        assertHsmError("10", hsm.generateMac(KeyType.TAK, zak, p, data));
        // a ZPK is no MAC key (M6 key type error 05)
        assertHsmError("05", hsm.generateMac(KeyType.ZPK, zak, p, data));
    }

    @Test
    void unionPayEcbMac() {
        byte[] makClear = randomKey(16);
        LmkKey mak = form(hsm, KeyType.MAK, makClear);
        byte[] mab = RandomSource.secure().next(77);
        byte[] f64 = await(hsm.generateUnionPayMac(mak, mab));
        assertArrayEquals(Macs.unionPayEcb(makClear, mab), f64);
        assertTrue(new String(f64, StandardCharsets.US_ASCII).matches("[0-9A-F]{8}"));
        assertTrue(await(hsm.verifyUnionPayMac(mak, mab, f64)));
        byte[] bad = f64.clone();
        bad[7] = (byte) (bad[7] == '0' ? '1' : '0');
        assertFalse(await(hsm.verifyUnionPayMac(mak, mab, bad)));
        assertFalse(await(hsm.verifyUnionPayMac(mak, mab, new byte[3])));
        assertHsmError("28", hsm.generateUnionPayMac(KeyType.ZPK, mak, mab));
    }

    @Test
    void tacUnderDwk() {
        LmkKey legacy = form(hsm, KeyType.DWK, Hex.decode("0123456789ABCDEF"));
        byte[] x99 = "7654321 Now is the time for ".getBytes(StandardCharsets.US_ASCII);
        assertEquals("F1D30F68", Hex.encode(await(hsm.tac(legacy, x99))));
        byte[] dwkClear = randomKey(16);
        LmkKey dwk = form(hsm, KeyType.DWK, dwkClear);
        byte[] tData = RandomSource.secure().next(10);
        byte[] tac = await(hsm.tac(dwk, tData));
        assertArrayEquals(Macs.tac(dwkClear, tData), tac);
        assertTrue(await(hsm.verifyTac(dwk, tData, tac)));
        tac[0] ^= 1;
        assertFalse(await(hsm.verifyTac(dwk, tData, tac)));
    }

    @Test
    void downloadBodiesAreSealedAndOpenedUnderTheDwkInOneCommandEach() {
        byte[] dwkClear = randomKey(16);
        LmkKey dwk = form(hsm, KeyType.DWK, dwkClear);
        byte[] plain = RandomSource.secure().next(4096);
        byte[] body = await(hsm.sealBody(dwk, plain));
        // the terminal's side (a clear DWK in the PIN pad) opens what the HSM sealed, and the reverse
        assertArrayEquals(plain, CbcSeal.open(dwkClear, body));
        byte[] fromTerminal = CbcSeal.seal(dwkClear, RandomSource.secure().next(8), plain);
        assertArrayEquals(plain, await(hsm.openBody(dwk, fromTerminal)));
        // a fresh IV per seal
        assertFalse(Arrays.equals(body, await(hsm.sealBody(dwk, plain))));
        fromTerminal[20] ^= 1;
        assertHsmError("01", hsm.openBody(dwk, fromTerminal));
        assertHsmError("06", hsm.openBody(dwk, new byte[16]));
        assertHsmError("06", hsm.sealBody(dwk, new byte[7]));
    }

    /**
     * The DWK also wraps the H2 key message (TMK under DWK, ECB): the generic data and MAC commands
     * refuse it, so nobody can ask the HSM to decrypt that key message as data.
     */
    @Test
    void theDwkIsRefusedByTheGenericDataAndMacCommands() {
        byte[] dwkClear = randomKey(16);
        LmkKey dwk = form(hsm, KeyType.DWK, dwkClear);
        byte[] iv = new byte[8];
        byte[] keyMessage = Tdes.encryptEcb(dwkClear, randomKey(16));
        assertHsmError("05", hsm.decryptData(KeyType.DWK, dwk, CipherMode.ECB, null, keyMessage));
        assertHsmError("05", hsm.decryptData(KeyType.DWK, dwk, CipherMode.CBC, iv, keyMessage));
        assertHsmError("05", hsm.encryptData(KeyType.DWK, dwk, CipherMode.CBC, iv, keyMessage));
        assertHsmError("05", hsm.generateMac(KeyType.DWK, dwk, MacParams.X9_19, keyMessage));
    }

    @Test
    void dataEncryption() {
        byte[] zekClear = randomKey(24);
        LmkKey zek = form(hsm, KeyType.ZEK, zekClear);
        byte[] data = RandomSource.secure().next(64);
        assertArrayEquals(Tdes.encryptEcb(zekClear, data), await(hsm.encryptData(KeyType.ZEK, zek, CipherMode.ECB, null, data)));
        assertHsmError("06", hsm.encryptData(KeyType.ZEK, zek, CipherMode.ECB, null, new byte[5]));
        assertHsmError("05", hsm.encryptData(KeyType.TMK, zek, CipherMode.ECB, null, data));
    }

    @Test
    void rsaKeyPairAndImportUnderRsa() {
        RSAPublicKey pub = Rsa.decodePublicKey(kms.publicKeyDer());
        assertEquals(2048, pub.getModulus().bitLength());
        byte[] tmkClear = randomKey(16);
        byte[] enc = Rsa.oaepEncrypt(pub, tmkClear);
        KeyWithKcv k = await(hsm.importKeyUnderRsa(KeyType.TMK, KeyScheme.U, kms.privateKey(), enc));
        assertEquals(Kcv.hex6(tmkClear), k.kcv().hex());
        assertEquals(Kcv.hex6(tmkClear), await(hsm.kcv(KeyType.TMK, k.key())).hex().substring(0, 6));
        enc[10] ^= 1;
        assertHsmError("01", hsm.importKeyUnderRsa(KeyType.TMK, KeyScheme.U, kms.privateKey(), enc));
        // a tampered private key blob: 49
        byte[] blob = kms.privateKey().bytes();
        blob[20] ^= 1;
        assertHsmError("49", hsm.importKeyUnderRsa(KeyType.TMK, KeyScheme.U,
                dev.posgate.hsm.LmkPrivateKey.of(blob), Rsa.oaepEncrypt(pub, tmkClear)));
    }

    @Test
    void kFlowTransmissionKeyAuthenticationAndTmkDelivery() {
        RSAPublicKey pub = Rsa.decodePublicKey(kms.publicKeyDer());
        byte[] tek = RandomSource.secure().next(16);
        byte[] auk = RandomSource.secure().next(16);
        byte[] tkBlock = Rsa.oaepEncrypt(pub, TransmissionKeyBlock.encode(tek, auk));
        TransmissionKeys tk = await(hsm.unwrapTransmissionKey(kms.privateKey(), tkBlock));
        assertArrayEquals(Kcv.of(tek, 4), tk.tekKcv().bytes());
        assertArrayEquals(Kcv.of(auk, 4), tk.aukKcv().bytes());

        byte[] rnd1 = RandomSource.secure().next(8);
        byte[] kmsProof = await(hsm.kmsAukProof(tk.auk(), rnd1));
        assertArrayEquals(AukProof.of(AukProof.Direction.KMS, auk, rnd1), kmsProof);
        byte[] rnd2 = RandomSource.secure().next(8);
        assertTrue(await(hsm.verifyTerminalAukProof(tk.auk(), rnd2, AukProof.of(AukProof.Direction.TERMINAL, auk, rnd2))));
        assertFalse(await(hsm.verifyTerminalAukProof(tk.auk(), rnd2, AukProof.of(AukProof.Direction.TERMINAL, auk, rnd1))));
        // the HSM is no oracle across directions: ZK's answer for a random never passes ZM for it,
        // and the unvaried E_AUK of the seed reading passes neither
        assertFalse(await(hsm.verifyTerminalAukProof(tk.auk(), rnd1, kmsProof)), "reflected ZK answer");
        assertFalse(await(hsm.verifyTerminalAukProof(tk.auk(), rnd2, Tdes.encryptEcb(auk, rnd2))));

        byte[] tmkClear = randomKey(16);
        LmkKey tmk = form(hsm, KeyType.TMK, tmkClear);
        ExportedKey ctmk = await(hsm.tmkUnderTek(tk.tek(), tmk));
        assertArrayEquals(tmkClear, Tdes.decryptEcb(tek, ctmk.key().cryptogram()));
        assertArrayEquals(Kcv.of(tmkClear, 4), ctmk.kcv().bytes());
        // TEK and AUK are not interchangeable
        assertHsmError("10", hsm.tmkUnderTek(tk.auk(), tmk));
    }

    @Test
    void tkBlockHashMismatchIsError01() {
        RSAPublicKey pub = Rsa.decodePublicKey(kms.publicKeyDer());
        byte[] block = TransmissionKeyBlock.encode(RandomSource.secure().next(16), RandomSource.secure().next(16));
        block[39] ^= 0x01;
        assertHsmError("01", hsm.unwrapTransmissionKey(kms.privateKey(), Rsa.oaepEncrypt(pub, block)));
        assertHsmError("01", hsm.unwrapTransmissionKey(kms.privateKey(), Rsa.oaepEncrypt(pub, new byte[39])));
        assertHsmError("01", hsm.unwrapTransmissionKey(kms.privateKey(), new byte[256]));
    }

    @Test
    void lFlowKeyLoaderExchange() {
        RSAPublicKey loaderPub = Rsa.decodePublicKey(kms.publicKeyDer());
        byte[] tmkClear = randomKey(16);
        LmkKey tmk = form(hsm, KeyType.TMK, tmkClear);
        byte[] rnd1 = RandomSource.secure().next(16);
        byte[] rnd2 = RandomSource.secure().next(8);
        byte[] in = new byte[24];
        System.arraycopy(rnd1, 0, in, 0, 16);
        System.arraycopy(rnd2, 0, in, 16, 8);
        KeyLoaderExchange x = await(hsm.keyLoaderExchange(kms.privateKey(), tmk, Rsa.oaepEncrypt(loaderPub, in)));
        byte[] recovered = Rsa.publicRecoverPkcs1Type1(loaderPub, x.signedBlock());
        assertEquals(24, recovered.length);
        assertArrayEquals(rnd2, Arrays.copyOfRange(recovered, 16, 24));
        assertArrayEquals(tmkClear, Tdes.decryptEcb(rnd1, Arrays.copyOf(recovered, 16)));
        assertArrayEquals(Kcv.of(tmkClear, 4), x.tmkKcv().bytes());
        assertHsmError("01", hsm.keyLoaderExchange(kms.privateKey(), tmk, Rsa.oaepEncrypt(loaderPub, new byte[23])));
    }

    @Test
    void psamIssuanceAndWorkingKeys() {
        byte[] rootClear = randomKey(16);
        LmkKey root = form(hsm, KeyType.PSAM_ROOT, rootClear);
        byte[] itkClear = randomKey(16);
        LmkKey itk = form(hsm, KeyType.ZMK, itkClear);
        String card = "12345678901234567890";
        byte[] cardKey = Diversification.pboc(rootClear, Diversification.psamDiversifier(card));
        ExportedKey issued = await(hsm.psamIssueCardKey(root, card, itk));
        assertArrayEquals(cardKey, Tdes.decryptEcb(itkClear, issued.key().cryptogram()));
        assertArrayEquals(Kcv.of(cardKey, 4), issued.kcv().bytes());

        GeneratedKey pik = await(hsm.generateWorkingKeyUnderPsam(root, card, KeyType.PIK, KeyScheme.U));
        byte[] pikClear = Tdes.decryptEcb(cardKey, pik.underWrapping().cryptogram());
        assertArrayEquals(Kcv.of(pikClear, 4), pik.kcv().bytes());
        assertArrayEquals(Kcv.of(pikClear, 8), await(hsm.kcv(KeyType.PIK, pik.underLmk())).bytes());
        assertHsmError("28", hsm.generateWorkingKeyUnderPsam(root, card, KeyType.ZMK, KeyScheme.U));
    }

    @Test
    void tmsDownloadKeys() {
        byte[] dmkClear = randomKey(16);
        LmkKey dmk = form(hsm, KeyType.DMK, dmkClear);
        GeneratedKey dwk = await(hsm.generateKeyUnder(KeyType.DWK, Wrapping.DMK, dmk));
        byte[] dwkClear = Tdes.decryptEcb(dmkClear, dwk.underWrapping().cryptogram());
        byte[] sData = RandomSource.secure().next(10);
        assertArrayEquals(Macs.tac(dwkClear, sData), await(hsm.tac(dwk.underLmk(), sData)));
        // key message: TMK and DMK under the DWK
        byte[] tmkClear = randomKey(16);
        LmkKey tmk = form(hsm, KeyType.TMK, tmkClear);
        ExportedKey tmkUnderDwk = await(hsm.exportKey(KeyType.TMK, Wrapping.DWK, dwk.underLmk(), tmk));
        assertArrayEquals(tmkClear, Tdes.decryptEcb(dwkClear, tmkUnderDwk.key().cryptogram()));
        ExportedKey dmkUnderDwk = await(hsm.exportKey(KeyType.DMK, Wrapping.DWK, dwk.underLmk(), dmk));
        assertArrayEquals(dmkClear, Tdes.decryptEcb(dwkClear, dmkUnderDwk.key().cryptogram()));
        // policy: a ZMK is never exported under a DWK, a ZPK never generated under a DMK
        assertHsmError("28", hsm.exportKey(KeyType.ZMK, Wrapping.DWK, dwk.underLmk(), tmk));
        assertHsmError("28", hsm.generateKeyUnder(KeyType.ZPK, Wrapping.DMK, dmk));
    }

    @Test
    void parityErrors() {
        byte[] bad = randomKey(16);
        bad[5] ^= 1;
        LmkKey badTak = LMK.encrypt(KeyType.TAK, bad);
        assertHsmError("10", hsm.kcv(KeyType.TAK, badTak));
        LmkKey tmk = form(hsm, KeyType.TMK, randomKey(16));
        LmkKey badTmk = LMK.encrypt(KeyType.TMK, bad);
        assertHsmError("10", hsm.generateKeyUnder(KeyType.TAK, Wrapping.TMK, badTmk));
        LmkKey zmk = form(hsm, KeyType.ZMK, randomKey(16));
        assertHsmError("11", hsm.exportKey(KeyType.TMK, Wrapping.ZMK, zmk, badTmk));
        assertHsmError("10", hsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.U, bad, randomKey(16)));
        assertHsmError("28", hsm.exportKey(KeyType.ZMK, Wrapping.TMK, tmk, zmk));
    }
}
