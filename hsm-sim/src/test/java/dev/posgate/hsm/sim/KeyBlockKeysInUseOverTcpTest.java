package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.assertHsmError;
import static dev.posgate.hsm.sim.SimTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.testing.TdesReference;
import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.crypto.PaddingMethod;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.ThalesKeyBlock;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.hsm.MacParams;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.command.VerifyMacRequest;
import dev.posgate.hsm.keyblock.KeyBlockKey;
import dev.posgate.hsm.keyblock.KeyBlockMacRequest;
import dev.posgate.hsm.keyblock.KeyBlockTranslatePinRequest;
import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.hsm.command.TranslatePinReply;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16: keys under the key-block LMK ({@code S}) in M6/M8 and CA over TCP. The block's header
 * decides: X9.19 (algorithm 3) needs usage M3, algorithm 1 M0/M1; mode of use C, or G for M6 and V for
 * M8; CA a P0 TPK that may decrypt (B/D) and a P0 ZPK that may encrypt (B/E). PIN blocks are built and
 * opened with BouncyCastle's {@code DESedeEngine}.
 * Keys are wrapped by the test under payShield's published AES test key-block LMK; MACs are
 * recomputed with BouncyCastle's {@code ISO9797Alg3Mac} and {@code CBCBlockCipherMac}.
 */
@ExtendWith(VertxExtension.class)
class KeyBlockKeysInUseOverTcpTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** payShield's AES test key-block LMK (as in {@link KeyBlockCommandsOverTcpTest}). */
    private static final byte[] TEST_LMK = HEX.parseHex("9B71333A13F9FAE72F9D0E2DAB4AD6784718012F9244033F3F26A2DE0C8AA11A");
    private static final MacParams X9_19 = MacParams.X9_19;
    private static final MacParams ALG1_4 = new MacParams(MacAlgorithm.ISO9797_ALG1, PaddingMethod.METHOD_1, 4);
    /** 32 bytes: padding method 1 leaves it as it is. */
    private static final byte[] DATA = "0200 purchase MAB of some length".getBytes(StandardCharsets.US_ASCII);

    private SimOverTcp tcp;
    private RemoteHsm hsm;

    @BeforeEach
    void start(Vertx vertx) {
        HsmSimConfig config = HsmSimConfig.builder().port(0).lmk(Lmk.generate(RandomSource.secure())).build();
        HsmCommandProcessor processor = new HsmCommandProcessor(config.lmk(), false, Set.of(),
                Authorisation.of(Authorisation.GATED, Duration.ofHours(1))).useKeyBlockLmk(KeyBlockLmk.aes(TEST_LMK, "01"));
        tcp = SimOverTcp.start(vertx, HsmSimulator.start(vertx, config, processor), "kbmac", 1);
        hsm = tcp.hsm;
    }

    @AfterEach
    void stop() {
        tcp.stop();
    }

    @Test
    void x919UnderAnM3KeyGeneratesAndVerifies() {
        byte[] clear = Parity.adjustOdd(RandomSource.secure().next(16));
        KeyBlockKey key = sKey("M3", 'C', clear);
        KeyBlockMacRequest m6 = new KeyBlockMacRequest(X9_19, key, DATA);
        byte[] mac = await(hsm.execute(m6)).mac();
        assertArrayEquals(TdesReference.x919(clear, DATA), mac);
        await(hsm.execute(new VerifyMacRequest<>(m6, mac)));
        byte[] wrong = mac.clone();
        wrong[0] ^= 1;
        assertHsmError("01", hsm.execute(new VerifyMacRequest<>(m6, wrong)));
        // the request bytes: the M6 layout with key type FFF and the S key
        String sent = new String(m6.encode(), StandardCharsets.US_ASCII);
        assertTrue(sent.startsWith("M600131FFFS" + key.block()), sent);
    }

    @Test
    void algorithmOneUnderAnM1GenerateOnlyKey() {
        byte[] clear = Parity.adjustOdd(RandomSource.secure().next(16));
        KeyBlockKey key = sKey("M1", 'G', clear);
        KeyBlockMacRequest m6 = new KeyBlockMacRequest(ALG1_4, key, DATA);
        byte[] mac = await(hsm.execute(m6)).mac();
        assertArrayEquals(bcCbcMac(clear, DATA, 4), mac);
        // G: generate only, M8 refused on the mode of use
        assertHsmError(KeyBlockCommands.INVALID_MODE_OF_USE, hsm.execute(new VerifyMacRequest<>(m6, mac)));
        // a V key verifies and does not generate
        KeyBlockKey verifier = sKey("M1", 'V', clear);
        await(hsm.execute(new VerifyMacRequest<>(new KeyBlockMacRequest(ALG1_4, verifier, DATA), mac)));
        assertHsmError(KeyBlockCommands.INVALID_MODE_OF_USE, hsm.execute(new KeyBlockMacRequest(ALG1_4, verifier, DATA)));
    }

    @Test
    void theHeaderBindsTheKeyToItsUse() {
        byte[] clear = Parity.adjustOdd(RandomSource.secure().next(16));
        // a PIN key, and an X9.19 key asked for algorithm 1
        assertHsmError(KeyBlockCommands.INVALID_KEY_USAGE, hsm.execute(new KeyBlockMacRequest(X9_19, sKey("P0", 'B', clear), DATA)));
        assertHsmError(KeyBlockCommands.INVALID_KEY_USAGE, hsm.execute(new KeyBlockMacRequest(ALG1_4, sKey("M3", 'C', clear), DATA)));
        // a block whose header was changed (M1 → M3) fails its MAC under the key-block LMK
        KeyBlockKey m1 = sKey("M1", 'C', clear);
        KeyBlockKey forged = KeyBlockKey.underLmk(m1.block().substring(0, 5) + "M3" + m1.block().substring(7));
        assertHsmError(KeyBlockCommands.AUTHENTICATION_FAILURE, hsm.execute(new KeyBlockMacRequest(X9_19, forged, DATA)));
    }

    @Test
    void pinTranslationBetweenKeyBlockKeys() {
        byte[] tpkClear = Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] zpkClear = Parity.adjustOdd(RandomSource.secure().next(16));
        String pan = "6222021234567890123";
        String account = pan.substring(pan.length() - 13, pan.length() - 1);
        byte[] clearBlock = iso0("1234", account);
        byte[] underTpk = tdes(true, tpkClear, clearBlock);
        KeyBlockTranslatePinRequest ca = new KeyBlockTranslatePinRequest(sKey("P0", 'D', tpkClear), sKey("P0", 'E', zpkClear), 12,
                underTpk, PinBlockFormat.ISO_0, PinBlockFormat.ISO_0, account);
        TranslatePinReply r = await(hsm.execute(ca));
        assertEquals(4, r.pinLength());
        assertArrayEquals(clearBlock, tdes(false, zpkClear, r.pinBlock()), "the same ISO-0 block under the ZPK");
        assertTrue(new String(ca.encode(), StandardCharsets.US_ASCII).startsWith("CAS"));
        // an encrypt-only TPK cannot decrypt, a decrypt-only ZPK cannot encrypt, a MAC key is no PIN key
        assertHsmError(KeyBlockCommands.INVALID_MODE_OF_USE, hsm.execute(new KeyBlockTranslatePinRequest(sKey("P0", 'E', tpkClear),
                sKey("P0", 'E', zpkClear), 12, underTpk, PinBlockFormat.ISO_0, PinBlockFormat.ISO_0, account)));
        assertHsmError(KeyBlockCommands.INVALID_MODE_OF_USE, hsm.execute(new KeyBlockTranslatePinRequest(sKey("P0", 'B', tpkClear),
                sKey("P0", 'D', zpkClear), 12, underTpk, PinBlockFormat.ISO_0, PinBlockFormat.ISO_0, account)));
        assertHsmError(KeyBlockCommands.INVALID_KEY_USAGE, hsm.execute(new KeyBlockTranslatePinRequest(sKey("M3", 'C', tpkClear),
                sKey("P0", 'B', zpkClear), 12, underTpk, PinBlockFormat.ISO_0, PinBlockFormat.ISO_0, account)));
        // another card's account does not decode (20)
        assertHsmError("20", hsm.execute(new KeyBlockTranslatePinRequest(sKey("P0", 'B', tpkClear), sKey("P0", 'B', zpkClear), 12,
                underTpk, PinBlockFormat.ISO_0, PinBlockFormat.ISO_0, "999999999999")));
    }

    private static byte[] iso0(String pin, String account12) {
        byte[] p = HEX.parseHex(String.format("%02d", pin.length()) + pin + "F".repeat(14 - pin.length()));
        byte[] a = HEX.parseHex("0000" + account12);
        for (int i = 0; i < 8; i++) p[i] ^= a[i];
        return p;
    }

    private static byte[] tdes(boolean encrypt, byte[] key, byte[] block) {
        DESedeEngine e = new DESedeEngine();
        e.init(encrypt, new KeyParameter(key));
        byte[] out = new byte[8];
        e.processBlock(block, 0, out, 0);
        return out;
    }

    private static KeyBlockKey sKey(String usage, char mode, byte[] clear) {
        KeyBlockHeader h = KeyBlockHeader.of('1', usage, 'T', mode, "00", 'N').withReserved("01");
        return KeyBlockKey.underLmk(ThalesKeyBlock.wrap(TEST_LMK, h, clear, RandomSource.secure()));
    }


    private static byte[] bcCbcMac(byte[] key, byte[] data, int bytes) {
        CBCBlockCipherMac m = new CBCBlockCipherMac(new DESedeEngine(), bytes * 8);
        m.init(new KeyParameter(key));
        m.update(data, 0, data.length);
        byte[] out = new byte[bytes];
        m.doFinal(out, 0);
        return out;
    }
}
