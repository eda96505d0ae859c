package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.assertHsmError;
import static dev.posgate.hsm.sim.SimTestSupport.await;
import static dev.posgate.hsm.sim.SimTestSupport.randomKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.GeneratedKey;
import dev.posgate.hsm.HsmProfile;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.testing.TdesReference;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The software HSM in the {@code payshield} profile over TCP (issue 16 items 1, 2 and 5): the
 * extensions are refused with 68 (posgate key types with 04/05, flags 2/3 with 15), and the
 * gateway's standard paths, driven by a {@link RemoteHsm} of the same profile, work: sign-on
 * keys under a TMK with BU-completed check values, the UnionPay ECB MAC as XOR + M6/M8 (equal to
 * the ECB MAC the posgate profile's ZA computes, and to BouncyCastle's TDES over the same steps).
 */
@ExtendWith(VertxExtension.class)
class PayShieldProfileOverTcpTest {
    private final Lmk lmk = Lmk.generate(RandomSource.secure());
    private HsmSimulator sim;
    private HsmPool pool;
    private RemoteHsm hsm;

    @BeforeEach
    void start(Vertx vertx) {
        sim = await(HsmSimulator.start(vertx, HsmSimConfig.builder().port(0).lmk(lmk).profile(HsmProfile.PAYSHIELD).build()));
        pool = new HsmPool(vertx, HsmPoolConfig.builder().name("payshield").host("127.0.0.1", sim.port())
                .connectionsPerHost(1).headerLength(4).build());
        await(pool.start());
        hsm = new RemoteHsm(pool, HsmProfile.PAYSHIELD);
    }

    @AfterEach
    void stop() {
        await(pool.close());
        await(sim.stop());
    }

    private String raw(String command) {
        return new String(await(pool.execute(command.getBytes(StandardCharsets.ISO_8859_1))), StandardCharsets.ISO_8859_1);
    }

    @Test
    void extensionCommandsAreDisabled() {
        LmkKey mak = lmk.encrypt(KeyType.TAK, Parity.adjustOdd(randomKey(16)));
        // UnionPay MAC, TAC, key ceremony, SM4 key, K-flow, GI in posgate's layout: each 68, whatever the fields
        assertEquals("ZB68", raw("ZA003" + mak.toWire() + "0008ABCDEFGH"));
        assertEquals("ZT68", raw("ZS" + mak.toWire() + "0008ABCDEFGH"));
        assertEquals("ZX68", raw("ZW002U2" + "0123456789ABCDEFFEDCBA9876543210".repeat(2)));
        assertEquals("WJ68", raw("WI0002"));
        assertEquals("ZJ68", raw("ZI0001A0001B"));
        assertEquals("GJ68", raw("GI0102002"));
        // a code the software HSM does not know at all keeps the unknown-command reply
        assertEquals("QR15", raw("QQ"));
        // the posgate profile's client is refused the same way over the wire
        RemoteHsm posgate = new RemoteHsm(pool);
        assertHsmError("68", posgate.generateUnionPayMac(KeyType.MAK, mak, new byte[8]));
    }

    @Test
    void posgateKeyTypesAndFlagsAreRefusedInStandardCommands() {
        LmkKey zmk = lmk.encrypt(KeyType.ZMK, Parity.adjustOdd(randomKey(16)));
        assertEquals("A104", raw("A0000EU"), "TEK (00E) is LMK pair 38-39 variant 0 on a payShield");
        assertEquals("A104", raw("A0020EU"));
        assertEquals("A115", raw("A01002U;2" + zmk.toWire() + "X"), "ZMK/TMK flag 2 (DMK)");
        assertEquals("A915", raw("A8002;3" + zmk.toWire() + zmk.toWire() + "X"), "ZMK/TMK flag 3 (DWK)");
        assertEquals("A704", raw("A620E" + zmk.toWire() + "X" + "11".repeat(16) + "U"));
        assertEquals("BV04", raw("BUFF1" + zmk.toWire() + ";30E"));
        assertEquals("M705", raw("M60001030E" + zmk.toWire() + "0008ABCDEFGH"));
        // the standard ones still run
        assertTrue(raw("A00002U").startsWith("A100U"));
        assertTrue(raw("BU001" + zmk.toWire() + ";000").matches("BV00[0-9A-F]{16}"));
        assertTrue(raw("NC").startsWith("ND00" + lmk.checkValue()));
    }

    /**
     * Item (d): A6 error 01 is payShield's warning ("advice only"): the key whose parity is bad comes
     * back under the LMK with its check value; the client in the payshield profile reads it. The
     * posgate profile keeps refusing it with a bare 01. Checked with BouncyCastle.
     */
    @Test
    void a6ParityErrorIsAWarningWithTheKeyReturned(Vertx vertx) {
        sim.processor().authorise(Authorisation.of(java.util.Set.of("A6"), java.time.Duration.ofMinutes(5)));
        byte[] zmkClear = Parity.adjustOdd(randomKey(16));
        LmkKey zmk = lmk.encrypt(KeyType.ZMK, zmkClear);
        byte[] evenKey = Parity.adjustOdd(randomKey(16));
        evenKey[3] ^= 0x01; // one byte of even parity
        byte[] underZmk = TdesReference.ecbEncrypt(zmkClear, evenKey);
        String a6 = "A6001" + zmk.toWire() + "X" + Hex.encode(underZmk) + "U";
        String reply = raw(a6);
        assertTrue(reply.matches("A701U[0-9A-F]{32}[0-9A-F]{6}"), reply);
        LmkKey imported = LmkKey.parse(reply.substring(4, 37));
        assertArrayEquals(evenKey, lmk.decrypt(KeyType.ZPK, imported), "the key as it decrypted, under the LMK");
        assertEquals(Hex.encode(Arrays.copyOf(TdesReference.ecbEncrypt(evenKey, new byte[8]), 3)), reply.substring(37), "its check value");
        // the payshield client returns it (and logs the warning)
        KeyWithKcv k = await(hsm.importKey(KeyType.ZPK, zmk, dev.posgate.hsm.WrappedKey.ofCryptogram(underZmk)));
        assertArrayEquals(evenKey, lmk.decrypt(KeyType.ZPK, k.key()));
        // commands that check parity refuse it later
        assertEquals("BV10", raw("BU001" + imported.toWire() + ";000"));
        // a good key is 00
        assertTrue(raw("A6001" + zmk.toWire() + "X" + Hex.encode(TdesReference.ecbEncrypt(zmkClear, Parity.adjustOdd(randomKey(16)))) + "U")
                .startsWith("A700U"));
        // the posgate profile refuses it: a bare 01
        HsmSimulator posgate = await(HsmSimulator.start(vertx, HsmSimConfig.builder().port(0).lmk(lmk).build()));
        try {
            posgate.processor().authorise(Authorisation.of(java.util.Set.of("A6"), java.time.Duration.ofMinutes(5)));
            assertEquals("A701", new String(posgate.processor().process(a6.getBytes(StandardCharsets.ISO_8859_1)),
                    StandardCharsets.ISO_8859_1));
        } finally {
            await(posgate.stop());
        }
    }

    /**
     * Item (b): the K-flow's Ctmk_tk = TDES-ECB(TEK, TMK) with the TEK held as a ZMK is A8 (no flag)
     * plus BU in the payshield profile, in the HSM's authorised state as on a payShield (17 without it).
     */
    @Test
    void tmkUnderTheTekIsA8WithTheTekHeldAsAZmk() {
        byte[] tekClear = Parity.adjustOdd(randomKey(16));
        byte[] tmkClear = Parity.adjustOdd(randomKey(16));
        LmkKey tek = lmk.encrypt(KeyType.ZMK, tekClear);
        LmkKey tmk = lmk.encrypt(KeyType.TMK, tmkClear);
        assertHsmError("17", hsm.tmkUnderTek(tek, tmk));
        sim.processor().authorise(Authorisation.of(java.util.Set.of("A8"), java.time.Duration.ofMinutes(5)));
        dev.posgate.hsm.ExportedKey k = await(hsm.tmkUnderTek(tek, tmk));
        assertArrayEquals(TdesReference.ecbEncrypt(tekClear, tmkClear), k.key().cryptogram(), "Ctmk_tk = TDES-ECB(TEK, TMK), BouncyCastle");
        assertEquals(Hex.encode(Arrays.copyOf(TdesReference.ecbEncrypt(tmkClear, new byte[8]), 8)), k.kcv().hex(), "BU's 16-hex check value");
        // a TEK under posgate's type 00E does not decrypt as a ZMK (another LMK variant): KEK parity
        assertHsmError("10", hsm.tmkUnderTek(lmk.encrypt(KeyType.TEK, tekClear), tmk));
    }

    @Test
    void signOnKeysUnderATmkWithFourByteCheckValues() {
        byte[] tmkClear = Parity.adjustOdd(randomKey(16));
        LmkKey tmk = lmk.encrypt(KeyType.TMK, tmkClear);
        for (KeyType type : new KeyType[] {KeyType.PIK, KeyType.MAK, KeyType.TDK}) {
            GeneratedKey k = await(hsm.generateKeyUnder(type, KeyScheme.U, Wrapping.TMK, tmk));
            byte[] clear = TdesReference.ecbDecrypt(tmkClear, k.underWrapping().cryptogram());
            assertArrayEquals(clear, lmk.decrypt(type, k.underLmk()), "the key under the TMK is the key under the LMK");
            assertEquals(Hex.encode(Arrays.copyOf(TdesReference.ecbEncrypt(clear, new byte[8]), 8)), k.kcv().hex(),
                    "the full check value (BU), as BouncyCastle computes it");
        }
        KeyWithKcv zak = await(hsm.generateKey(KeyType.ZAK, KeyScheme.U));
        assertEquals(8, zak.kcv().length());
    }

    @Test
    void theUnionPayMacIsTheEcbMacThroughM6AndM8() {
        byte[] makClear = Parity.adjustOdd(randomKey(16));
        LmkKey mak = lmk.encrypt(KeyType.MAK, makClear);
        for (int len : new int[] {0, 1, 8, 19, 64, 133}) {
            byte[] mab = randomKey(Math.max(len, 1));
            if (len == 0) mab = new byte[0];
            byte[] field64 = await(hsm.generateUnionPayMac(KeyType.MAK, mak, mab));
            assertArrayEquals(Macs.unionPayEcb(makClear, mab), field64, "the ECB MAC of the crypto module (ZA's)");
            assertArrayEquals(TdesReference.unionPayEcbMac(makClear, mab), field64, "and BouncyCastle's TDES over its steps");
            assertTrue(await(hsm.verifyUnionPayMac(KeyType.MAK, mak, mab, field64)));
            byte[] wrong = field64.clone();
            wrong[7] = (byte) (wrong[7] == '0' ? '1' : '0');
            assertFalse(await(hsm.verifyUnionPayMac(KeyType.MAK, mak, mab, wrong)));
        }
        // a single-length MAK (Z): DES
        byte[] single = Parity.adjustOdd(randomKey(8));
        LmkKey z = lmk.encrypt(KeyType.MAK, single);
        byte[] mab = "0200 some message block".getBytes(StandardCharsets.US_ASCII);
        byte[] singleMac = await(hsm.generateUnionPayMac(KeyType.MAK, z, mab));
        assertArrayEquals(Macs.unionPayEcb(single, mab), singleMac);
        assertArrayEquals(TdesReference.unionPayEcbMac(single, mab), singleMac, "and BouncyCastle's single DES over its steps");
    }

    @Test
    void eiAnswersThePublicKeyInPkcs1AndTheClientReadsItAsSubjectPublicKeyInfo() throws Exception {
        byte[] reply = await(pool.execute("EI2102401".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("EJ00", new String(reply, 0, 4, StandardCharsets.ISO_8859_1));
        // RSAPublicKey: SEQUENCE { INTEGER modulus, INTEGER exponent }, here 1024 bits: 30 81 89 02 81 81 ...
        assertEquals(0x30, reply[4] & 0xFF);
        assertEquals(0x02, reply[4 + 3] & 0xFF, "the first element is the modulus INTEGER, not an AlgorithmIdentifier");
        dev.posgate.hsm.RsaKeyPair pair = await(hsm.generateRsaKeyPair(dev.posgate.hsm.RsaKeyUsage.BOTH, 1024));
        java.security.interfaces.RSAPublicKey pub = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(pair.publicKeyDer()));
        assertEquals(1024, pub.getModulus().bitLength());
    }
}
