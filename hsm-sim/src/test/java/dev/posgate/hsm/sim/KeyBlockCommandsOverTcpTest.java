package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.assertHsmError;
import static dev.posgate.hsm.sim.SimTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.ThalesKeyBlock;
import dev.posgate.crypto.Tr31;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.keyblock.KeyBlockAttributes;
import dev.posgate.hsm.keyblock.KeyBlockExportRequest;
import dev.posgate.hsm.keyblock.KeyBlockGenerateRequest;
import dev.posgate.hsm.keyblock.KeyBlockImportRequest;
import dev.posgate.hsm.keyblock.KeyBlockKey;
import dev.posgate.hsm.keyblock.KeyBlockReply;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The key-block LMK through the software HSM over its wire protocol (TCP, the production pool,
 * {@link RemoteHsm#execute}). The simulator holds payShield's published AES test key-block LMK,
 * so the test can open (and make) {@code S} keys itself; check values are recomputed with
 * BouncyCastle's engines called directly; a published TR-31:2018 block (A.7.2.2) is imported.
 */
@ExtendWith(VertxExtension.class)
class KeyBlockCommandsOverTcpTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** payShield's AES test key-block LMK (rkbalgi/libiso hsm/keyblock/test_key_block_lmk.go). */
    private static final byte[] TEST_LMK = HEX.parseHex("9B71333A13F9FAE72F9D0E2DAB4AD6784718012F9244033F3F26A2DE0C8AA11A");

    private SimOverTcp tcp;
    private RemoteHsm hsm;

    @BeforeEach
    void start(Vertx vertx) {
        HsmSimConfig config = HsmSimConfig.builder().port(0).lmk(Lmk.generate(RandomSource.secure())).build();
        HsmCommandProcessor processor = new HsmCommandProcessor(config.lmk(), false, Set.of(),
                Authorisation.of(Authorisation.GATED, Duration.ofHours(1))).useKeyBlockLmk(KeyBlockLmk.aes(TEST_LMK, "01"));
        tcp = SimOverTcp.start(vertx, HsmSimulator.start(vertx, config, processor), "kb", 1);
        hsm = tcp.hsm;
    }

    @AfterEach
    void stop() {
        tcp.stop();
    }

    /** The ut-codec-payshield key-block A0 sample, {@code A00FFFS%01#K0T2B00E00}, byte for byte. */
    @Test
    void generateRequestIsThePublishedLayout() {
        byte[] req = KeyBlockGenerateRequest.underLmk("01", KeyBlockAttributes.of("K0", "T2", 'B', "00", 'E')).encode();
        assertEquals("A00FFFS%01#K0T2B00E00", new String(req, StandardCharsets.US_ASCII));
    }

    @Test
    void generatesKeysUnderTheKeyBlockLmk() {
        KeyBlockReply r = await(hsm.execute(KeyBlockGenerateRequest.underLmk("01",
                KeyBlockAttributes.of("K0", "T2", 'B', "00", 'E'))));
        assertEquals('S', r.key().scheme());
        assertNull(r.exported());
        Tr31.Unwrapped u = ThalesKeyBlock.unwrap(TEST_LMK, r.key().block());
        KeyBlockHeader h = u.header();
        assertEquals('1', h.versionId());
        assertEquals("K0", h.keyUsage());
        assertEquals('T', h.algorithm());
        assertEquals('B', h.modeOfUse());
        assertEquals("00", h.keyVersion());
        assertEquals('E', h.exportability());
        assertEquals("01", h.reserved());
        assertEquals(16, u.key().length);
        assertEquals(tdesKcv(u.key()), r.kcv());

        KeyBlockReply aes = await(hsm.execute(KeyBlockGenerateRequest.underLmk("01",
                KeyBlockAttributes.of("D0", "A3", 'B', "01", 'N'))));
        Tr31.Unwrapped a = ThalesKeyBlock.unwrap(TEST_LMK, aes.key().block());
        assertEquals(32, a.key().length);
        assertEquals('A', a.header().algorithm());
        assertEquals(aesKcv(a.key()), aes.kcv());
        assertEquals(aes.key(), KeyBlockKey.parse(aes.key().toWire()));
    }

    @Test
    void generatesAndExportsUnderAZmkAsTr31() {
        byte[] zmkClear = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
        KeyBlockKey zmk = sKey("K0", 'T', 'B', zmkClear);
        KeyBlockReply r = await(hsm.execute(new KeyBlockGenerateRequest("01",
                KeyBlockAttributes.of("P0", "T2", 'E', "00", 'E'), zmk)));
        byte[] underLmk = ThalesKeyBlock.unwrap(TEST_LMK, r.key().block()).key();
        assertEquals('R', r.exported().scheme());
        assertEquals('B', r.exported().header().versionId(), "a TDES ZMK wraps version B");
        Tr31.Unwrapped x = Tr31.unwrap(zmkClear, r.exported().block());
        assertArrayEquals(underLmk, x.key());
        assertEquals("P0", x.header().keyUsage());
        assertEquals('E', x.header().modeOfUse());
        assertEquals("00", x.header().reserved());
        assertEquals(tdesKcv(underLmk), r.kcv());
    }

    @Test
    void exportsAnExistingKeyUnderAnAesZmkAsVersionD() {
        byte[] zmkClear = HEX.parseHex("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6");
        byte[] keyClear = HEX.parseHex("3F419E1CB7079442AA37474C2EFBF8B8");
        KeyBlockReply r = await(hsm.execute(new KeyBlockExportRequest(sKey("K1", 'A', 'E', zmkClear),
                sKey("M3", 'T', 'C', keyClear))));
        assertEquals('D', r.key().header().versionId());
        Tr31.Unwrapped x = Tr31.unwrap(zmkClear, r.key().block());
        assertArrayEquals(keyClear, x.key());
        assertEquals("M3", x.header().keyUsage());
        assertEquals(tdesKcv(keyClear), r.kcv());
    }

    /** TR-31:2018 A.7.2.2 imported through the HSM: KBPK DD7515F2..., key 3F419E1C..., KCV 57C409. */
    @Test
    void importsThePublishedTr31Block() {
        KeyBlockKey zmk = sKey("K0", 'T', 'B', HEX.parseHex("DD7515F2BFC17F85CE48F3CA25CB21F6"));
        KeyBlockKey block = KeyBlockKey.tr31(
                "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E");
        KeyBlockReply r = await(hsm.execute(new KeyBlockImportRequest(zmk, block, "01")));
        assertEquals("57C409", r.kcv());
        Tr31.Unwrapped u = ThalesKeyBlock.unwrap(TEST_LMK, r.key().block());
        assertEquals("3F419E1CB7079442AA37474C2EFBF8B8", HEX.formatHex(u.key()));
        assertEquals("P0", u.header().keyUsage());
        assertEquals('E', u.header().modeOfUse());
        assertEquals("01", u.header().reserved());
    }

    @Test
    void refusals() {
        byte[] zmkClear = HEX.parseHex("DD7515F2BFC17F85CE48F3CA25CB21F6");
        KeyBlockKey zmk = sKey("K0", 'T', 'B', zmkClear);
        String published = "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E";
        // tampered: mode of use E -> B in the TR-31 header
        KeyBlockKey tampered = KeyBlockKey.tr31(published.substring(0, 8) + "B" + published.substring(9));
        assertHsmError(KeyBlockCommands.AUTHENTICATION_FAILURE, hsm.execute(new KeyBlockImportRequest(zmk, tampered, "01")));
        // another LMK identifier
        assertHsmError(KeyBlockCommands.INCOMPATIBLE_LMK_ID,
                hsm.execute(new KeyBlockImportRequest(zmk, KeyBlockKey.tr31(published), "02")));
        // an export-only ZMK cannot import; a PIN key is no ZMK
        assertHsmError(KeyBlockCommands.INVALID_MODE_OF_USE,
                hsm.execute(new KeyBlockImportRequest(sKey("K0", 'T', 'E', zmkClear), KeyBlockKey.tr31(published), "01")));
        assertHsmError(KeyBlockCommands.INVALID_KEY_USAGE,
                hsm.execute(new KeyBlockImportRequest(sKey("P0", 'T', 'B', zmkClear), KeyBlockKey.tr31(published), "01")));
        // a non-exportable key does not leave
        KeyBlockKey secret = await(hsm.execute(KeyBlockGenerateRequest.underLmk("01",
                KeyBlockAttributes.of("P0", "T2", 'B', "00", 'N')))).key();
        assertHsmError(KeyBlockCommands.INVALID_EXPORTABILITY, hsm.execute(new KeyBlockExportRequest(zmk, secret)));
        // an S key with its header altered (exportability N -> E) fails its MAC
        String s = secret.block();
        KeyBlockKey forged = KeyBlockKey.underLmk(s.substring(0, 11) + "E" + s.substring(12));
        assertHsmError(KeyBlockCommands.AUTHENTICATION_FAILURE, hsm.execute(new KeyBlockExportRequest(zmk, forged)));
        // an S key under another key-block LMK
        KeyBlockKey foreign = KeyBlockKey.underLmk(ThalesKeyBlock.wrap(new byte[32],
                KeyBlockHeader.of('1', "K0", 'T', 'B', "00", 'E').withReserved("01"), zmkClear, RandomSource.secure()));
        assertHsmError(KeyBlockCommands.AUTHENTICATION_FAILURE, hsm.execute(new KeyBlockExportRequest(foreign, secret)));
    }

    /** The A8 groups of the manual page: {@code %01}, {@code &N} (exported exportability), {@code !A} (version). */
    @Test
    void exportModifiersAndVersionChoice() {
        byte[] zmkClear = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
        KeyBlockKey zmk = sKey("52", 'T', 'N', zmkClear);
        KeyBlockKey key = sKey("P0", 'T', 'E', HEX.parseHex("F039121BEC83D26B169BDCD5B22AAF8F"));
        KeyBlockReply r = await(hsm.execute(new KeyBlockExportRequest(zmk, key, "01", 'N', 'A')));
        assertEquals('A', r.key().header().versionId());
        assertEquals('N', r.key().header().exportability());
        assertEquals("F039121BEC83D26B169BDCD5B22AAF8F", HEX.formatHex(Tr31.unwrap(zmkClear, r.key().block()).key()));
        assertEquals("CB9DEA", r.kcv(), "TR-31:2018 A.7.2.1's key and check value");
        // a TDES ZMK cannot make version D
        assertHsmError("27", hsm.execute(new KeyBlockExportRequest(zmk, key, null, null, 'D')));
        // A0 mode 1 with a single-DES key and !C
        KeyBlockReply g = await(hsm.execute(new KeyBlockGenerateRequest("01",
                KeyBlockAttributes.of("D0", "D1", 'B', "00", 'S'), zmk, null, 'C')));
        assertEquals('C', g.exported().header().versionId());
        byte[] des = Tr31.unwrap(zmkClear, g.exported().block()).key();
        assertEquals(8, des.length);
        assertEquals(true, dev.posgate.crypto.Parity.isOdd(des), "a generated DES key has odd parity");
    }

    /**
     * A simulator holding payShield's TDES test key-block LMK as LMK 02 accepts the block published
     * under it ({@code S00072B0TN00E0002…}, FelipeRodriguezFonte/CryptoCarver) and exports its key,
     * 735B3125EFF2E04ABFBFA1670180A168, as a TR-31 block.
     */
    @Test
    void aTdesKeyBlockLmkTakesThePublishedBlock(Vertx vertx) {
        byte[] tdesLmk = HEX.parseHex("0123456789ABCDEF8080808080808080FEDCBA9876543210");
        HsmSimConfig config = HsmSimConfig.builder().port(0).lmk(Lmk.generate(RandomSource.secure())).build();
        HsmCommandProcessor processor = new HsmCommandProcessor(config.lmk(), false, Set.of(),
                Authorisation.of(Authorisation.GATED, Duration.ofHours(1))).useKeyBlockLmk(KeyBlockLmk.tdes(tdesLmk, "02"));
        SimOverTcp tdes = SimOverTcp.start(vertx, HsmSimulator.start(vertx, config, processor), "kb0", 1);
        try {
            RemoteHsm tdesHsm = tdes.hsm;
            byte[] zmkClear = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
            KeyBlockKey zmk = KeyBlockKey.underLmk(ThalesKeyBlock.wrap(tdesLmk,
                    KeyBlockHeader.of('0', "K0", 'T', 'B', "00", 'E').withReserved("02"), zmkClear, RandomSource.secure()));
            KeyBlockKey published = KeyBlockKey.parse(
                    "S00072B0TN00E000256A37F894FD49E61DD3FA27FDE8919D07F7AA966F8BF39AB31D00034");
            KeyBlockReply r = await(tdesHsm.execute(new KeyBlockExportRequest(zmk, published, "02", null, null)));
            assertEquals("735B3125EFF2E04ABFBFA1670180A168", HEX.formatHex(Tr31.unwrap(zmkClear, r.key().block()).key()));
            assertEquals("B0", r.key().header().keyUsage());
            assertEquals(tdesKcv(HEX.parseHex("735B3125EFF2E04ABFBFA1670180A168")), r.kcv());
            // the same block is not under LMK 01
            assertHsmError(KeyBlockCommands.INCOMPATIBLE_LMK_ID,
                    tdesHsm.execute(new KeyBlockExportRequest(zmk, published, "01", null, null)));
        } finally {
            tdes.stop();
        }
    }

    @Test
    void theDerivedKeyBlockLmkIsStableAndSecret() {
        Lmk lmk = Lmk.generate(RandomSource.secure());
        assertEquals(KeyBlockLmk.derivedFrom(lmk).checkValue(), KeyBlockLmk.derivedFrom(lmk).checkValue());
        assertNotEquals(KeyBlockLmk.derivedFrom(lmk).checkValue(),
                KeyBlockLmk.derivedFrom(Lmk.generate(RandomSource.secure())).checkValue());
    }

    // ---- helpers: S keys made with the known test LMK; check values with BouncyCastle ----

    private static KeyBlockKey sKey(String usage, char alg, char mode, byte[] clear) {
        KeyBlockHeader h = KeyBlockHeader.of('1', usage, alg, mode, "00", 'E').withReserved("01");
        return KeyBlockKey.underLmk(ThalesKeyBlock.wrap(TEST_LMK, h, clear, RandomSource.secure()));
    }

    private static String tdesKcv(byte[] key) {
        DESedeEngine e = new DESedeEngine();
        e.init(true, new KeyParameter(key));
        byte[] out = new byte[8];
        e.processBlock(new byte[8], 0, out, 0);
        return HEX.formatHex(out, 0, 3);
    }

    private static String aesKcv(byte[] key) {
        CMac m = new CMac(AESEngine.newInstance(), 128);
        m.init(new KeyParameter(key));
        m.update(new byte[16], 0, 16);
        byte[] out = new byte[16];
        m.doFinal(out, 0);
        return HEX.formatHex(out, 0, 3);
    }
}
