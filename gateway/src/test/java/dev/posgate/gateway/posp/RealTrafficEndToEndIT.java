package dev.posgate.gateway.posp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.Tdes;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.pos.PosDialect;
import dev.posgate.iso8583.pos.PosMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14 item 9, the gateway half: every request of the published real-traffic corpus, sent as
 * published to a running gateway over one TCP connection, is answered with its response MTI and a
 * response code; none closes the connection. The corpus terminals are strangers to the gateway
 * except four registered here with their own TID/MID, so that the answers show real processing:
 * their sign-ons (no MAC) get keys, a registered terminal that never signed on gets 77.
 * The two headerless messages of the corpus go to a headerless listener in
 * {@link HeaderlessCentreEndToEndIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class RealTrafficEndToEndIT {
    /** The answer each request gets, and why. */
    private static final Map<String, String> EXPECTED = Map.ofEntries(
            // 0800 sign-on 001/003 of a terminal registered here with its TID/MID: keys in 62
            Map.entry("demobase-0800-sign-on-with-62.hex", "00"),
            Map.entry("j8583-0800-sign-on.hex", "00"),
            Map.entry("mocredit-0800-sign-on.hex", "00"),
            // sign-on 003 without 41: nothing to sign on
            Map.entry("centerm-0800-sign-on-62-only.hex", "30"),
            // 60.3 codes the gateway does not implement (960 vendor, 005, 420)
            Map.entry("centerm-0800-sign-on-type-61.hex", "12"),
            // IC-card parameter download (380) from a TID not registered here (mocredit's sign-on is 10400067)
            Map.entry("mocredit-0800-download.hex", "97"),
            Map.entry("vfwz-0800-sign-on.hex", "12"),
            Map.entry("vfwz-0800-param-download.hex", "12"),
            // electronic signature upload 0920 (60.1 07): served, but vfwz's terminal never signed on
            Map.entry("vfwz-0920-e-signature.hex", "77"),
            // published dumps that break the layout: attributable format errors
            Map.entry("centerm-0800-sign-on-commented.hex", "30"),
            Map.entry("mocredit-0800-sign-on-without-11.hex", "30"),
            // purchases: vfwz's terminal is registered but never signed on; the others are unknown
            Map.entry("vfwz-0200-ic-purchase.hex", "77"),
            Map.entry("csdn-0200-ic-purchase-with-59.hex", "97"),
            Map.entry("lzy-0200-ic-purchase-no-pin.hex", "97"),
            Map.entry("lzy-0200-ic-purchase-pin.hex", "97"),
            Map.entry("scandemo-0200-ic-purchase-header-fff1.hex", "97"),
            Map.entry("citic-0400-reversal.hex", "97"));

    private final PospFixture world;

    RealTrafficEndToEndIT(PospFixture world) {
        this.world = world;
    }

    @BeforeAll
    void start() throws Exception {
        world.registerTmkTerminal("10000159", "880210010210160", "SN-DEMOBASE");
        world.registerTmkTerminal("20121206", "SpecRoute121206", "SN-J8583");
        world.registerTmkTerminal("10400067", "000000000000004", "SN-MOCREDIT");
        world.registerTmkTerminal("10016919", "84329004582000B", "SN-VFWZ");
    }

    @Test
    void everyRequestOfTheCorpusIsAnsweredWithItsResponseMtiAndCodeOnOneOpenConnection() throws Exception {
        List<RealTrafficCorpus> requests = RealTrafficCorpus.all().stream()
                .filter(m -> m.isRequest() && m.dialect() == PosDialect.APP_HEADER).toList();
        assertEquals(EXPECTED.keySet().size(), requests.size(), "every request of the corpus has its expected answer here");
        byte[] tmk = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));
        try (TerminalConnection t = world.gateway.connect()) {
            for (RealTrafficCorpus m : requests) {
                byte[] answer = t.exchange(m.body());
                PosMessage reply = PosMessage.unpack(answer);
                assertEquals(m.responseMti(), reply.mti(), m.name());
                assertEquals(EXPECTED.get(m.name()), reply.field(39), m.name());
                // the header is echoed byte for byte (non-BCD FF F1 included), processing requirement aside
                byte[] sent = Arrays.copyOfRange(m.body(), 5, 11);
                byte[] got = Arrays.copyOfRange(answer, 5, 11);
                sent[2] &= (byte) 0xF0;
                got[2] &= (byte) 0xF0;
                assertArrayEquals(sent, got, m.name() + ": header echoed");
                if ("00".equals(reply.field(39))) {
                    byte[] f62 = reply.binary(62);
                    int keyLength = f62.length == 24 ? 8 : 16;
                    for (int off = 0; off < f62.length; off += keyLength + 4) { // independent check under the TMK
                        byte[] clear = Tdes.decryptEcb(tmk, Arrays.copyOfRange(f62, off, off + keyLength));
                        assertArrayEquals(Kcv.of(clear, 4), Arrays.copyOfRange(f62, off + keyLength, off + keyLength + 4), m.name());
                    }
                } else {
                    assertFalse(reply.has(64), m.name() + ": a refusal of a stranger carries no MAC");
                }
            }
            assertEquals("00", PosMessage.unpack(t.exchange(Frames.echoRequest("000001"))).field(39), "the connection is still open");
        }
        assertTrue(requests.size() >= 16);
    }
}
