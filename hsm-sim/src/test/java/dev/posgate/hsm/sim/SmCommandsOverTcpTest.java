package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.assertHsmError;
import static dev.posgate.hsm.sim.SimTestSupport.await;
import static dev.posgate.hsm.sim.SimTestSupport.form;
import static dev.posgate.hsm.sim.SimTestSupport.randomKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.ExportedKey;
import dev.posgate.hsm.GeneratedKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkSm2PrivateKey;
import dev.posgate.hsm.PinTranslation;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.Sm2KeyPair;
import dev.posgate.hsm.Sm4MacAlgorithm;
import dev.posgate.hsm.WrappedKey;
import dev.posgate.hsm.Wrapping;
import dev.posgate.testing.Sm4Reference;
import dev.posgate.testing.TdesReference;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SM commands through the software HSM over its wire protocol (TCP, the production pool and
 * {@link RemoteHsm}), every result checked with BouncyCastle's engines called directly (never the
 * project's crypto wrappers), and the published GB/T 32907 example through the HSM.
 */
@ExtendWith(VertxExtension.class)
class SmCommandsOverTcpTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** GB/T 32907-2016 appendix A example 1: key = plaintext, and its ciphertext. */
    private static final byte[] GBT_KEY = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] GBT_CIPHERTEXT = HEX.parseHex("681EDF34D206965E86B3E94F536E4246");

    private SimOverTcp tcp;
    private Hsm hsm;
    private byte[] zmkClear;
    private LmkKey zmk;

    @BeforeEach
    void start(Vertx vertx) {
        tcp = SimOverTcp.start(vertx, "sm", 2);
        hsm = tcp.hsm;
        zmkClear = randomKey(16);
        zmk = form(hsm, KeyType.ZMK, zmkClear);
    }

    @AfterEach
    void stop() {
        tcp.stop();
    }

    // ---- independent computations: BouncyCastle engines called directly ----

    private static byte[] sm4Kcv8(byte[] key) {
        return Arrays.copyOf(Sm4Reference.ecbEncrypt(key, new byte[16]), 8);
    }

    private static ECDomainParameters sm2Domain() {
        X9ECParameters x9 = GMNamedCurves.getByName("sm2p256v1");
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    /** An SM4 key known to the test, imported under the test's TDES ZMK (TDES-ECB of both halves). */
    private LmkKey importKnown(KeyType type, byte[] sm4Key) {
        KeyWithKcv k = await(hsm.importSm4Key(type, zmk, WrappedKey.of(KeyScheme.P, TdesReference.ecbEncrypt(zmkClear, sm4Key))));
        assertEquals(KeyAlgorithm.SM4, k.key().algorithm());
        assertArrayEquals(sm4Kcv8(sm4Key), k.kcv().bytes());
        return k.key();
    }

    // ---- tests ----

    @Test
    void gbt32907KeyImportedGivesItsKcvAndThePublishedCiphertext() {
        KeyWithKcv k = await(hsm.importSm4Key(KeyType.ZAK, zmk,
                WrappedKey.of(KeyScheme.P, TdesReference.ecbEncrypt(zmkClear, GBT_KEY))));
        assertArrayEquals(sm4Kcv8(GBT_KEY), k.kcv().bytes(), "KCV = SM4Engine(key, 16 zero bytes), leftmost 8");
        assertEquals(HEX.formatHex(sm4Kcv8(GBT_KEY)).substring(0, 8), HEX.formatHex(k.kcv().first(4)));
        assertArrayEquals(sm4Kcv8(GBT_KEY), await(hsm.kcv(KeyType.ZAK, k.key())).bytes(), "BU with an SM4 key");
        // one block, zero IV: the CBC-MAC is the GB/T 32907 example 1 ciphertext itself
        byte[] mac = await(hsm.generateSm4Mac(KeyType.ZAK, k.key(), Sm4MacAlgorithm.CBC_MAC_PADDING_1, GBT_KEY));
        assertArrayEquals(GBT_CIPHERTEXT, mac);
        assertArrayEquals(GBT_CIPHERTEXT, Sm4Reference.ecbEncrypt(GBT_KEY, GBT_KEY), "BouncyCastle agrees with the standard");
    }

    @Test
    void unionPaySm4MacAndCbcMacMatchBouncyCastle() {
        byte[] makClear = RandomSource.secure().next(16);
        LmkKey mak = importKnown(KeyType.MAK, makClear);
        for (int len : new int[] {0, 1, 15, 16, 17, 63, 200}) {
            byte[] mab = RandomSource.secure().next(len);
            byte[] field64 = await(hsm.generateUnionPaySm4Mac(mak, mab));
            assertArrayEquals(Sm4Reference.unionPayMac(makClear, mab), field64, "length " + len);
            assertTrue(await(hsm.verifyUnionPaySm4Mac(mak, mab, field64)));
            byte[] wrong = field64.clone();
            wrong[7] = (byte) (wrong[7] == '0' ? '1' : '0');
            assertFalse(await(hsm.verifyUnionPaySm4Mac(mak, mab, wrong)));
        }
        // CBC-MAC with padding method 2 (80 00..), BC SM4Engine in CBC by hand
        byte[] data = RandomSource.secure().next(37);
        byte[] padded = Arrays.copyOf(data, 48);
        padded[37] = (byte) 0x80;
        byte[] chain = new byte[16];
        for (int i = 0; i < padded.length; i += 16) {
            for (int j = 0; j < 16; j++) {
                chain[j] ^= padded[i + j];
            }
            chain = Sm4Reference.ecbEncrypt(makClear, chain);
        }
        assertArrayEquals(chain, await(hsm.generateSm4Mac(KeyType.MAK, mak, Sm4MacAlgorithm.CBC_MAC_PADDING_2, data)));
        // a TAC-style 4-byte truncation verifies on the leftmost bytes
        assertTrue(await(hsm.verifySm4Mac(KeyType.MAK, mak, Sm4MacAlgorithm.CBC_MAC_PADDING_2, data,
                Arrays.copyOf(chain, 4))));
        assertFalse(await(hsm.verifySm4Mac(KeyType.MAK, mak, Sm4MacAlgorithm.CBC_MAC_PADDING_2, data,
                Arrays.copyOfRange(chain, 1, 5))));
    }

    /** The 16-byte SM4 PIN block built independently: PIN field F-filled to 32 nibbles XOR the PAN field. */
    private static byte[] sm4PinBlock(String pin, String account12) {
        String pinField = String.format("0%X%s", pin.length(), pin) + "F".repeat(30 - pin.length());
        String panField = "0".repeat(20) + account12;
        BigInteger xor = new BigInteger(pinField, 16).xor(new BigInteger(panField, 16));
        return HEX.parseHex(String.format("%032X", xor));
    }

    @Test
    void sm4PinTranslatesToATdesAndToAnSm4Zpk() {
        String pan = "6230606601007726888";
        String account = "660100772688"; // rightmost 12 digits without the check digit
        byte[] clearBlock = sm4PinBlock("123654", account);
        assertEquals("06123654FFFFFFFFFFFF99FEFF88D977", HEX.formatHex(clearBlock), "the published clear block");
        byte[] pikClear = RandomSource.secure().next(16);
        LmkKey pik = importKnown(KeyType.PIK, pikClear);
        byte[] pinBlock = Sm4Reference.ecbEncrypt(pikClear, clearBlock);

        byte[] tdesZpkClear = randomKey(16);
        LmkKey tdesZpk = form(hsm, KeyType.ZPK, tdesZpkClear);
        PinTranslation toTdes = await(hsm.translateSm4Pin(KeyType.PIK, pik, tdesZpk, pinBlock, pan));
        assertEquals(6, toTdes.pinLength());
        assertEquals("06125055FF88D977", HEX.formatHex(TdesReference.ecbDecrypt(tdesZpkClear, toTdes.pinBlock())),
                "ISO 9564 format 0 under the TDES ZPK: 06123654FFFFFFFF XOR 0000660100772688");

        byte[] sm4ZpkClear = RandomSource.secure().next(16);
        LmkKey sm4Zpk = importKnown(KeyType.ZPK, sm4ZpkClear);
        PinTranslation toSm4 = await(hsm.translateSm4Pin(KeyType.PIK, pik, sm4Zpk, pinBlock, pan));
        assertArrayEquals(clearBlock, Sm4Reference.ecbDecrypt(sm4ZpkClear, toSm4.pinBlock()));

        // a PIN block under another key (or for another card) does not decode: 20
        assertHsmError("20", hsm.translateSm4Pin(KeyType.PIK, pik, tdesZpk, pinBlock, "6230606601007736888"));
    }

    /** ZW with scheme P: an SM4 TMK from clear components (the TMK ceremony of an SM4 terminal, issue 17). */
    @Test
    void sm4TmkFormedFromComponentsIsTheXorWithItsSm4Kcv() {
        byte[] c1 = HEX.parseHex("1234567890ABCDEF1234567890ABCDEF");
        byte[] c2 = HEX.parseHex("00000000000000000000000000000001"); // even parity: SM4 components have none
        KeyWithKcv tmk = await(hsm.formKeyFromComponents(KeyType.TMK, KeyScheme.P, c1, c2));
        assertEquals(KeyAlgorithm.SM4, tmk.key().algorithm());
        byte[] clear = HEX.parseHex("1234567890ABCDEF1234567890ABCDEE");
        assertArrayEquals(Arrays.copyOf(sm4Kcv8(clear), 3), tmk.kcv().bytes(), "6H SM4 check value");
        GeneratedKey pik = await(hsm.generateSm4KeyUnder(KeyType.PIK, Wrapping.TMK, tmk.key()));
        assertArrayEquals(sm4Kcv8(Sm4Reference.ecbDecrypt(clear, pik.underWrapping().cryptogram())), pik.kcv().bytes(),
                "a working key under the formed TMK decrypts with the XOR of the components");
    }

    /** M0/M2 under an SM4 TDK (scheme P): SM4-ECB (the 16-byte track data block) and SM4-CBC, checked with SM4Engine. */
    @Test
    void sm4DataEncryptionUnderAnSm4Tdk() {
        byte[] tmkClear = RandomSource.secure().next(16);
        LmkKey tmk = importKnown(KeyType.TMK, tmkClear);
        GeneratedKey tdk = await(hsm.generateSm4KeyUnder(KeyType.TDK, Wrapping.TMK, tmk));
        byte[] tdkClear = Sm4Reference.ecbDecrypt(tmkClear, tdk.underWrapping().cryptogram());
        byte[] block = HEX.parseHex("1234567890123D49121010000012345F");
        assertArrayEquals(block, await(hsm.decryptData(KeyType.TDK, tdk.underLmk(), dev.posgate.hsm.CipherMode.ECB, null,
                Sm4Reference.ecbEncrypt(tdkClear, block))));
        assertArrayEquals(Sm4Reference.ecbEncrypt(tdkClear, block), await(hsm.encryptData(KeyType.TDK, tdk.underLmk(),
                dev.posgate.hsm.CipherMode.ECB, null, block)));
        byte[] iv = RandomSource.secure().next(16);
        byte[] two = Arrays.copyOf(block, 32);
        byte[] ct = await(hsm.encryptData(KeyType.TDK, tdk.underLmk(), dev.posgate.hsm.CipherMode.CBC, iv, two));
        org.bouncycastle.crypto.modes.CBCBlockCipher cbc = (org.bouncycastle.crypto.modes.CBCBlockCipher)
                org.bouncycastle.crypto.modes.CBCBlockCipher.newInstance(new SM4Engine());
        cbc.init(false, new org.bouncycastle.crypto.params.ParametersWithIV(new KeyParameter(tdkClear), iv));
        byte[] back = new byte[32];
        for (int i = 0; i < 32; i += 16) cbc.processBlock(ct, i, back, i);
        assertArrayEquals(two, back);
        // 8 bytes are not an SM4 block
        assertHsmError("06", hsm.decryptData(KeyType.TDK, tdk.underLmk(), dev.posgate.hsm.CipherMode.ECB, null, new byte[8]));
    }

    /**
     * TMS on SM4 (issue 17 item 4): the DWK generated under an SM4 DMK (WI flag 2), TAC/SAC (ZS/ZU)
     * and sealed bodies (Z0/Z2) under the SM4 DWK, the key message's TMK under the DWK (WI flag 3);
     * each checked with BouncyCastle's SM4Engine, CBCBlockCipher and CBCBlockCipherMac.
     */
    @Test
    void tmsOnSm4DwkTacSealedBodyAndKeyMessage() {
        byte[] dmkClear = RandomSource.secure().next(16);
        KeyWithKcv dmk = await(hsm.formKeyFromComponents(KeyType.DMK, KeyScheme.P, dmkClear, new byte[16]));
        GeneratedKey dwk = await(hsm.generateSm4KeyUnder(KeyType.DWK, Wrapping.DMK, dmk.key()));
        assertEquals(KeyScheme.P, dwk.underLmk().scheme());
        byte[] dwkClear = Sm4Reference.ecbDecrypt(dmkClear, dwk.underWrapping().cryptogram());
        assertArrayEquals(sm4Kcv8(dwkClear), dwk.kcv().bytes());

        byte[] tData = HEX.parseHex("0A0B0C0D261203142233");
        org.bouncycastle.crypto.macs.CBCBlockCipherMac tacMac = new org.bouncycastle.crypto.macs.CBCBlockCipherMac(new SM4Engine(), 32);
        tacMac.init(new KeyParameter(dwkClear));
        tacMac.update(tData, 0, tData.length);
        byte[] tac = new byte[4];
        tacMac.doFinal(tac, 0);
        assertArrayEquals(tac, await(hsm.tac(dwk.underLmk(), tData)));
        assertTrue(await(hsm.verifyTac(dwk.underLmk(), tData, tac)));
        tac[3] ^= 1;
        assertFalse(await(hsm.verifyTac(dwk.underLmk(), tData, tac)));

        byte[] plain = HEX.parseHex("DF3702000080000000000000000000004E6F7720697320746865207469B5E5A1");
        byte[] body = await(hsm.sealBody(dwk.underLmk(), plain));
        assertEquals(16 + plain.length + 16, body.length);
        org.bouncycastle.crypto.modes.CBCBlockCipher cbc = (org.bouncycastle.crypto.modes.CBCBlockCipher)
                org.bouncycastle.crypto.modes.CBCBlockCipher.newInstance(new SM4Engine());
        cbc.init(false, new org.bouncycastle.crypto.params.ParametersWithIV(new KeyParameter(dwkClear), Arrays.copyOf(body, 16)));
        byte[] decrypted = new byte[plain.length];
        for (int i = 0; i < plain.length; i += 16) cbc.processBlock(body, 16 + i, decrypted, i);
        assertArrayEquals(plain, decrypted);
        org.bouncycastle.crypto.macs.CBCBlockCipherMac bodyMac = new org.bouncycastle.crypto.macs.CBCBlockCipherMac(new SM4Engine(), 128);
        bodyMac.init(new KeyParameter(dwkClear));
        bodyMac.update(body, 0, body.length - 16);
        byte[] mac = new byte[16];
        bodyMac.doFinal(mac, 0);
        assertArrayEquals(mac, Arrays.copyOfRange(body, body.length - 16, body.length));
        assertArrayEquals(plain, await(hsm.openBody(dwk.underLmk(), body)));
        byte[] tampered = body.clone();
        tampered[20] ^= 1;
        assertHsmError("01", hsm.openBody(dwk.underLmk(), tampered));

        GeneratedKey tmk = await(hsm.generateSm4KeyUnder(KeyType.TMK, Wrapping.DWK, dwk.underLmk()));
        assertArrayEquals(sm4Kcv8(Sm4Reference.ecbDecrypt(dwkClear, tmk.underWrapping().cryptogram())), tmk.kcv().bytes());
        // the DWK stays out of general MAC work (Z4 refuses type 30E), and a PIK is not generated under it
        assertHsmError("28", hsm.generateSm4Mac(KeyType.DWK, dwk.underLmk(), Sm4MacAlgorithm.CBC_MAC_PADDING_1, tData));
        assertHsmError("28", hsm.generateSm4KeyUnder(KeyType.MAK, Wrapping.DWK, dwk.underLmk()));
    }

    @Test
    void sm4KeysGeneratedUnderAnSm4TmkAndExportedUnderATdesZmk() {
        byte[] tmkClear = RandomSource.secure().next(16);
        LmkKey tmk = importKnown(KeyType.TMK, tmkClear);
        for (KeyType type : new KeyType[] {KeyType.PIK, KeyType.MAK, KeyType.TDK}) {
            GeneratedKey k = await(hsm.generateSm4KeyUnder(type, Wrapping.TMK, tmk));
            assertEquals(KeyScheme.P, k.underLmk().scheme());
            assertEquals(KeyScheme.P, k.underWrapping().scheme());
            byte[] clear = Sm4Reference.ecbDecrypt(tmkClear, k.underWrapping().cryptogram());
            assertArrayEquals(sm4Kcv8(clear), k.kcv().bytes(), type + ": field 62 KCV of the key the terminal gets");
            ExportedKey out = await(hsm.exportSm4Key(type, Wrapping.ZMK, zmk, k.underLmk()));
            assertArrayEquals(clear, TdesReference.ecbDecrypt(zmkClear, out.key().cryptogram()));
            assertArrayEquals(k.kcv().bytes(), out.kcv().bytes());
        }
        KeyWithKcv underLmk = await(hsm.generateSm4Key(KeyType.ZEK));
        assertEquals(KeyAlgorithm.SM4, underLmk.key().algorithm());
        assertEquals(8, underLmk.kcv().length());
    }

    @Test
    void sm2SignatureVerifiesWithBouncyCastleSm2Signer() throws Exception {
        Sm2KeyPair pair = await(hsm.generateSm2KeyPair(RsaKeyUsage.SIGNATURE));
        assertEquals(65, pair.publicKey().length);
        byte[] msg = "message digest".getBytes(StandardCharsets.US_ASCII);
        byte[] rs = await(hsm.sm2Sign(pair.privateKey(), msg));
        SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE); // default user id 1234567812345678
        ECDomainParameters domain = sm2Domain();
        verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(pair.publicKey()), domain));
        verifier.update(msg, 0, msg.length);
        assertTrue(verifier.verifySignature(rs));
        // the SPKI form parses with BouncyCastle to the same point
        ECPublicKeyParameters fromSpki = (ECPublicKeyParameters) PublicKeyFactory.createKey(
                SubjectPublicKeyInfo.getInstance(pair.publicKeySpki()));
        assertArrayEquals(pair.publicKey(), fromSpki.getQ().getEncoded(false));
        // a user id of our own
        byte[] id = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
        byte[] rsId = await(hsm.sm2Sign(pair.privateKey(), id, msg));
        SM2Signer withId = new SM2Signer(PlainDSAEncoding.INSTANCE);
        withId.init(false, new org.bouncycastle.crypto.params.ParametersWithID(
                new ECPublicKeyParameters(domain.getCurve().decodePoint(pair.publicKey()), domain), id));
        withId.update(msg, 0, msg.length);
        assertTrue(withId.verifySignature(rsId));
    }

    @Test
    void sm4KeyWrappedByBouncyCastleSm2EngineImportsUnderTheLmk() throws Exception {
        Sm2KeyPair pair = await(hsm.generateSm2KeyPair(RsaKeyUsage.KEY_MANAGEMENT));
        byte[] tmkClear = RandomSource.secure().next(16);
        ECDomainParameters domain = sm2Domain();
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(
                new ECPublicKeyParameters(domain.getCurve().decodePoint(pair.publicKey()), domain), new SecureRandom()));
        byte[] c = engine.processBlock(tmkClear, 0, tmkClear.length);
        KeyWithKcv tmk = await(hsm.importSm4KeyUnderSm2(KeyType.TMK, pair.privateKey(), c));
        assertArrayEquals(sm4Kcv8(tmkClear), tmk.kcv().bytes());
        // the imported TMK works: a PIK under it decrypts with the clear TMK
        GeneratedKey pik = await(hsm.generateSm4KeyUnder(KeyType.PIK, Wrapping.TMK, tmk.key()));
        assertArrayEquals(pik.kcv().bytes(), sm4Kcv8(Sm4Reference.ecbDecrypt(tmkClear, pik.underWrapping().cryptogram())));
        // a tampered ciphertext (C3 no longer matches) is refused with the one code 01
        byte[] bad = c.clone();
        bad[70] ^= 1;
        assertHsmError("01", hsm.importSm4KeyUnderSm2(KeyType.TMK, pair.privateKey(), bad));
        // a plaintext that is not a 16-byte key: 01
        byte[] eight = engine.processBlock(new byte[8], 0, 8);
        assertHsmError("01", hsm.importSm4KeyUnderSm2(KeyType.TMK, pair.privateKey(), eight));
    }

    /**
     * The SM2 K-flow in the HSM (docs/kms.md, "K-flow with SM2"): ZY opens a TK block made of two
     * BouncyCastle SM2Engine (C1C3C2) ciphertexts; ZK/ZM with the SM4 AUK over 16-byte randoms and
     * ZO with the SM4 TEK agree with SM4Engine called directly.
     */
    @Test
    void sm2TransmissionKeyBlockOpensAndTheSm4KFlowCommandsAgreeWithBouncyCastle() throws Exception {
        Sm2KeyPair kms = await(hsm.generateSm2KeyPair(RsaKeyUsage.BOTH));
        byte[] tekClear = RandomSource.secure().next(16);
        byte[] aukClear = RandomSource.secure().next(16);
        ECDomainParameters domain = sm2Domain();
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(
                new ECPublicKeyParameters(domain.getCurve().decodePoint(kms.publicKey()), domain), new SecureRandom()));
        byte[] block = new byte[226];
        System.arraycopy(engine.processBlock(tekClear, 0, 16), 0, block, 0, 113);
        System.arraycopy(engine.processBlock(aukClear, 0, 16), 0, block, 113, 113);

        dev.posgate.hsm.TransmissionKeys tk = await(hsm.unwrapSm2TransmissionKey(kms.privateKey(), block));
        assertEquals(KeyAlgorithm.SM4, tk.tek().algorithm());
        assertArrayEquals(java.util.Arrays.copyOf(sm4Kcv8(tekClear), 4), tk.tekKcv().bytes());
        assertArrayEquals(java.util.Arrays.copyOf(sm4Kcv8(aukClear), 4), tk.aukKcv().bytes());

        byte[] rnd1 = RandomSource.secure().next(16);
        assertArrayEquals(Sm4Reference.ecbEncrypt(variant(aukClear, 0x4B), rnd1), await(hsm.kmsAukProof(tk.auk(), rnd1)));
        byte[] rnd2 = RandomSource.secure().next(16);
        assertTrue(await(hsm.verifyTerminalAukProof(tk.auk(), rnd2, Sm4Reference.ecbEncrypt(variant(aukClear, 0x54), rnd2))));
        // the KMS-direction proof does not pass as the terminal's, nor an 8-byte one
        assertFalse(await(hsm.verifyTerminalAukProof(tk.auk(), rnd2, Sm4Reference.ecbEncrypt(variant(aukClear, 0x4B), rnd2))));
        assertFalse(await(hsm.verifyTerminalAukProof(tk.auk(), rnd2, new byte[8])));

        KeyWithKcv tmk = await(hsm.generateSm4Key(KeyType.TMK));
        dev.posgate.hsm.ExportedKey out = await(hsm.tmkUnderTek(tk.tek(), tmk.key()));
        byte[] tmkClear = Sm4Reference.ecbDecrypt(tekClear, out.key().cryptogram());
        assertArrayEquals(java.util.Arrays.copyOf(sm4Kcv8(tmkClear), 4), out.kcv().bytes());
        assertArrayEquals(tmk.kcv().first(4), out.kcv().bytes());
        // an SM4 TEK with a TDES TMK: 26
        assertHsmError("26", hsm.tmkUnderTek(tk.tek(), form(hsm, KeyType.TMK, randomKey(16))));

        // a tampered block, or one of another length: refused, nothing opened
        byte[] bad = block.clone();
        bad[113 + 70] ^= 1;
        assertHsmError("01", hsm.unwrapSm2TransmissionKey(kms.privateKey(), bad));
        assertHsmError("15", hsm.unwrapSm2TransmissionKey(kms.privateKey(), java.util.Arrays.copyOf(block, 225)));
    }

    /** WQ: the SM2 key-loader exchange, checked with SM2Engine, SM4Engine and SM2Signer called directly. */
    @Test
    void sm2KeyLoaderExchangeAgreesWithBouncyCastle() throws Exception {
        Sm2KeyPair loader = await(hsm.generateSm2KeyPair(RsaKeyUsage.BOTH));
        ECDomainParameters domain = sm2Domain();
        ECPublicKeyParameters point = new ECPublicKeyParameters(domain.getCurve().decodePoint(loader.publicKey()), domain);
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(point, new SecureRandom()));
        byte[] rnd1 = RandomSource.secure().next(16);
        byte[] rnd2 = RandomSource.secure().next(8);
        byte[] plain = java.util.Arrays.copyOf(rnd1, 24);
        System.arraycopy(rnd2, 0, plain, 16, 8);
        byte[] block = engine.processBlock(plain, 0, 24);
        assertEquals(121, block.length);
        KeyWithKcv tmk = await(hsm.generateSm4Key(KeyType.TMK));

        dev.posgate.hsm.KeyLoaderExchange x = await(hsm.sm2KeyLoaderExchange(loader.privateKey(), tmk.key(), block));
        byte[] out = x.signedBlock();
        assertEquals(88, out.length);
        assertArrayEquals(rnd2, java.util.Arrays.copyOfRange(out, 16, 24));
        byte[] tmkClear = Sm4Reference.ecbDecrypt(rnd1, java.util.Arrays.copyOf(out, 16));
        assertArrayEquals(java.util.Arrays.copyOf(sm4Kcv8(tmkClear), 4), x.tmkKcv().bytes());
        assertArrayEquals(tmk.kcv().first(4), x.tmkKcv().bytes());
        SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE);
        signer.init(false, new org.bouncycastle.crypto.params.ParametersWithID(point, "1234567812345678".getBytes(StandardCharsets.US_ASCII)));
        signer.update(out, 0, 24);
        assertTrue(signer.verifySignature(java.util.Arrays.copyOfRange(out, 24, 88)));

        byte[] bad = block.clone();
        bad[80] ^= 1;
        assertHsmError("01", hsm.sm2KeyLoaderExchange(loader.privateKey(), tmk.key(), bad));
        Sm2KeyPair signOnly = await(hsm.generateSm2KeyPair(RsaKeyUsage.SIGNATURE));
        assertHsmError("29", hsm.sm2KeyLoaderExchange(signOnly.privateKey(), tmk.key(), block));
    }

    private static byte[] variant(byte[] key, int v) {
        byte[] k = key.clone();
        for (int i = 0; i < k.length; i++) k[i] ^= (byte) v;
        return k;
    }

    @Test
    void refusals() {
        byte[] makClear = RandomSource.secure().next(16);
        LmkKey sm4Mak = importKnown(KeyType.MAK, makClear);
        LmkKey tdesMak = form(hsm, KeyType.MAK, randomKey(16));
        LmkKey tdesZpk = form(hsm, KeyType.ZPK, randomKey(16));
        byte[] mab = new byte[20];
        // an SM4 key where a TDES key is expected, and vice versa: 26
        assertHsmError("26", hsm.generateUnionPayMac(sm4Mak, mab));
        assertHsmError("26", hsm.translatePin(sm4Mak, tdesZpk, new byte[8], "4000000000000002"));
        assertHsmError("26", hsm.generateMac(KeyType.TAK, sm4Mak, dev.posgate.hsm.MacParams.X9_19, new byte[8]));
        assertHsmError("26", hsm.generateKeyUnder(KeyType.TAK, Wrapping.TMK, sm4Mak));
        assertHsmError("26", hsm.generateUnionPaySm4Mac(tdesMak, mab));
        assertHsmError("26", hsm.translateSm4Pin(KeyType.PIK, tdesMak, tdesZpk, new byte[16], "4000000000000002"));
        assertHsmError("26", hsm.exportSm4Key(KeyType.TAK, Wrapping.ZMK, zmk, tdesMak));
        // the wrong key type for the operation: 28
        assertHsmError("28", hsm.generateSm4Mac(KeyType.ZPK, sm4Mak, Sm4MacAlgorithm.UNIONPAY_POS, mab));
        assertHsmError("28", hsm.translateSm4Pin(KeyType.TAK, sm4Mak, tdesZpk, new byte[16], "4000000000000002"));
        assertHsmError("28", hsm.generateSm4KeyUnder(KeyType.ZMK, Wrapping.TMK, sm4Mak));
        assertHsmError("28", hsm.generateSm4Key(KeyType.PSAM_ROOT));
        // SM2 key usage: a signature key does not unwrap keys, a key-management key does not sign: 29
        Sm2KeyPair signing = await(hsm.generateSm2KeyPair(RsaKeyUsage.SIGNATURE));
        Sm2KeyPair unwrapping = await(hsm.generateSm2KeyPair(RsaKeyUsage.KEY_MANAGEMENT));
        assertHsmError("29", hsm.importSm4KeyUnderSm2(KeyType.TMK, signing.privateKey(), new byte[113]));
        assertHsmError("29", hsm.sm2Sign(unwrapping.privateKey(), mab));
        // a tampered SM2 blob: 49
        byte[] blob = signing.privateKey().bytes();
        blob[20] ^= 1;
        assertHsmError("49", hsm.sm2Sign(LmkSm2PrivateKey.of(blob), mab));
    }

    @Test
    void importAndExportNeedTheAuthorisedState() {
        HsmCommandProcessor processor = new HsmCommandProcessor(Lmk.generate(RandomSource.secure()), true,
                java.util.Set.of(), Authorisation.NONE);
        Hsm local = InProcessHsm.create(processor);
        byte[] zmkBytes = randomKey(16);
        LmkKey localZmk = form(local, KeyType.ZMK, zmkBytes);
        LmkKey key = await(local.generateSm4Key(KeyType.TAK)).key();
        assertHsmError("17", local.importSm4Key(KeyType.TAK, localZmk, WrappedKey.of(KeyScheme.P, new byte[16])));
        assertHsmError("17", local.exportSm4Key(KeyType.TAK, Wrapping.ZMK, localZmk, key));
        Sm2KeyPair pair = await(local.generateSm2KeyPair(RsaKeyUsage.BOTH));
        assertHsmError("17", local.importSm4KeyUnderSm2(KeyType.TAK, pair.privateKey(), new byte[113]));
        // generation under a TMK for sign-on stays open, as A0 mode 1
        assertEquals(KeyScheme.P, await(local.generateSm4KeyUnder(KeyType.TAK, Wrapping.TMK,
                form(local, KeyType.TMK, randomKey(16)))).underWrapping().scheme());
    }
}
