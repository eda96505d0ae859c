package dev.posgate.gateway.posp.wire;

import static dev.posgate.testing.Eventually.await;
import static dev.posgate.testing.Sm4Reference.unionPayMac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.posp.store.TerminalSession;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.sim.HsmCommandProcessor;
import dev.posgate.hsm.sim.InProcessHsm;
import dev.posgate.hsm.sim.Lmk;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.Sm4PinField;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Sm4Reference;
import dev.posgate.testing.TdesReference;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The per-terminal choice of MAC and PIN translation ({@link TerminalCipher}), the PIN block's place
 * ({@link PinTranslator#pinBlockOf}) and the 53.2 check ({@link MacedRequestGate#algorithmMatches}),
 * on the in-process software HSM; SM4 and TDES checked with BouncyCastle's engines directly.
 */
class TerminalCipherTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] PIK = HEX.parseHex("F351D490994603795C6EBEE8FAEBB481");
    private static final byte[] MAK = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
    private static final byte[] ZPK = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
    private static final String PAN = "6230606601007726888";

    private final Lmk lmk = Lmk.generate(RandomSource.secure());
    private final Hsm hsm = InProcessHsm.create(new HsmCommandProcessor(lmk, false, Set.of()));
    private final TerminalCipher.InHsm ciphers = new TerminalCipher.InHsm(hsm);

    @Test
    void theTerminalsProfileChoosesTheCipher() {
        assertInstanceOf(TerminalCipher.Sm4.class, ciphers.of(session(Terminal.KeyAlgorithm.SM4, Terminal.MacAlgorithm.X919)),
                "SM4 whatever the TDES MAC profile says");
        assertInstanceOf(TerminalCipher.Tdes.class, ciphers.of(session(Terminal.KeyAlgorithm.TDES, Terminal.MacAlgorithm.ECB)));
        assertTrue(((TerminalCipher.Tdes) ciphers.of(session(Terminal.KeyAlgorithm.TDES, Terminal.MacAlgorithm.X919))).x919());
    }

    @Test
    void sm4MacVerifiesAndSealsAndThePinBlockGoesToTheTdesZpkAsIsoFormat0() throws Exception {
        TerminalSession t = session(Terminal.KeyAlgorithm.SM4, Terminal.MacAlgorithm.ECB);
        TerminalCipher sm4 = ciphers.of(t);
        byte[] mab = "0200 MAB of an SM4 terminal".getBytes(StandardCharsets.US_ASCII);
        byte[] mac = unionPayMac(MAK, mab);
        assertTrue(await(sm4.verifyMac(t.mak(), mab, mac)));
        assertFalse(await(sm4.verifyMac(t.mak(), mab, "00000000".getBytes(StandardCharsets.US_ASCII))));
        assertArrayEquals(mac, await(sm4.mac(t.mak(), mab)));

        // PIN 123654: the published clear block, under the PIK; the answer is ISO 0 under the TDES ZPK
        byte[] block = Sm4Reference.ecbEncrypt(PIK, HEX.parseHex("06123654FFFFFFFFFFFF99FEFF88D977"));
        PinTranslator pins = PinTranslator.inHsm(hsm, () -> io.vertx.core.Future.succeededFuture(lmk.encrypt(KeyType.ZPK, ZPK)));
        byte[] up = await(pins.toZone(t, block, PAN));
        byte[] clear = TdesReference.ecbDecrypt(ZPK, up);
        assertArrayEquals(HEX.parseHex("06125055FF88D977"), clear, "06123654FFFFFFFF XOR 0000660100772688 (the published 8-byte block)");
    }

    @Test
    void thePinBlockOfAnSm4TerminalIsIn63AndHis53MustSay4() {
        TerminalSession sm4 = session(Terminal.KeyAlgorithm.SM4, Terminal.MacAlgorithm.ECB);
        TerminalSession tdes = session(Terminal.KeyAlgorithm.TDES, Terminal.MacAlgorithm.ECB);
        PinTranslator pins = (t, b, p) -> null;
        byte[] block = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
        PosMessage m = Sm4PinField.write(PosMessage.create(PosClient.TPDU, PosClient.HEADER, "0200"), block)
                .set(53, "2400000000000000");
        assertArrayEquals(block, pins.pinBlockOf(sm4, m));
        assertArrayEquals(new byte[8], pins.pinBlockOf(tdes, m), "a TDES terminal's block is field 52");
        assertTrue(MacedRequestGate.algorithmMatches(sm4, m));
        assertFalse(MacedRequestGate.algorithmMatches(tdes, m));
        m.set(53, "2600000000000000").set(63, "001");
        assertNull(pins.pinBlockOf(sm4, m), "no SM016 block in 63");
        assertFalse(MacedRequestGate.algorithmMatches(sm4, m));
        assertTrue(MacedRequestGate.algorithmMatches(tdes, m));
        m.set(53, (String) null);
        assertTrue(MacedRequestGate.algorithmMatches(sm4, m), "no field 53: nothing to contradict");
    }

    private TerminalSession session(Terminal.KeyAlgorithm algorithm, Terminal.MacAlgorithm mac) {
        boolean sm4 = algorithm == Terminal.KeyAlgorithm.SM4;
        LmkKey pik = sm4 ? lmk.encryptSm4(KeyType.PIK, PIK) : lmk.encrypt(KeyType.PIK, ZPK);
        LmkKey mak = sm4 ? lmk.encryptSm4(KeyType.MAK, MAK) : lmk.encrypt(KeyType.MAK, ZPK);
        return new TerminalSession("SM4UT001", "898310048990001", "SN-UT", Terminal.KeyScheme.TMK, mac, Terminal.Status.ACTIVE,
                "000001", LocalDate.now(), null, pik, mak, null, null, true, null, algorithm);
    }
}
