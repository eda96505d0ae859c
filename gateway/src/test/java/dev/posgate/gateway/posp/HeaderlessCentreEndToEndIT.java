package dev.posgate.gateway.posp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosDialect;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.Tpdu;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.terminal.pos.PinPadKeys;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14 item 2, the gateway half: with {@code listener.app.header = false} the listener takes the
 * centre dialect without application header (TPDU, then the MTI), answers in it, and MACs from the
 * MTI on; the upstream link still carries a header. MACs are checked by the terminal's software PIN pad.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeaderlessCentreEndToEndIT {
    private static final Tpdu TPDU = new Tpdu(0x0003, 0x0000);
    private static final String PAN = "6222021234567890123";
    private static final String MID = "898310048990001";
    private PospFixture world;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000, PospFixture.newLmkFile(), TestPostgres.newDatabaseUrl(),
                Map.of(Setting.LISTENER_APP_HEADER, false));
    }

    @AfterAll
    void stop() throws Exception {
        world.close();
    }

    @Test
    void signOnAndAMacedPurchaseWithoutApplicationHeader() throws Exception {
        PinPadKeys keys = new PinPadKeys(world.registerTmkTerminal("TERM1501", "SN-1501"), 1);
        try (TerminalConnection t = world.gateway.connect()) {
            PosMessage signOn = message("0800", "000001", new Field60("00", "000001", "003"));
            byte[] signOnReply = t.exchange(signOn.pack());
            PosMessage reply = PosMessage.unpack(signOnReply, PosDialect.NO_APP_HEADER);
            assertEquals("0810", reply.mti());
            assertEquals("00", reply.field(39));
            assertEquals(0x08, signOnReply[5], "the MTI right after the TPDU: no header in the answer");
            assertTrue(keys.acceptWorkingKeys(WorkingKeyBlock.decode(SignOnMode.DOUBLE, reply.binary(62))), "keys match their KCVs");

            PosMessage purchase = message("0200", "000002", new Field60("22", "000001", "000"))
                    .set(2, PAN).set(3, "000000").set(4, "000000001500").set(22, "021").set(25, "00").set(26, "06")
                    .set(49, "156").set(52, keys.encryptPin("123456", PAN)).set(53, "2600000000000000")
                    .set(64, new byte[8]);
            byte[] body = purchase.pack();
            MacBlock.writeMac(body, keys.mac(MacBlock.of(body, PosDialect.NO_APP_HEADER), false), PosDialect.NO_APP_HEADER);
            byte[] answer = t.exchange(body);
            PosMessage approved = PosMessage.unpack(answer, PosDialect.NO_APP_HEADER);
            assertEquals("0210", approved.mti());
            assertEquals("00", approved.field(39), "forwarded to the host (with a header) and approved");
            assertArrayEquals(keys.mac(MacBlock.of(answer, PosDialect.NO_APP_HEADER), false),
                    MacBlock.mac(answer, PosDialect.NO_APP_HEADER), "MACed from the MTI with the MAK");

            // a bad field in this dialect is answered too
            byte[] bad = message("0820", "000123", new Field60("00", "000001", "301")).pack();
            bad[17] = 0x2A; // STAN (after TPDU 5, MTI 2, bitmap 8) with a nibble A
            PosMessage formatError = PosMessage.unpack(t.exchange(bad), PosDialect.NO_APP_HEADER);
            assertEquals("0830", formatError.mti());
            assertEquals("30", formatError.field(39));
            assertEquals("TERM1501", formatError.field(41));
            assertFalse(formatError.has(64));
            PosMessage echo = PosMessage.unpack(t.exchange(message("0820", "000124", new Field60("00", "000001", "301")).pack()),
                    PosDialect.NO_APP_HEADER);
            assertEquals("00", echo.field(39), "the connection stays open");
        }
    }

    @Test
    void theHeaderlessMessagesOfTheCorpusAreAnswered() throws Exception {
        world.registerTmkTerminal("12345671", "123456789012345", "SN-MOCREDIT-NH");
        try (TerminalConnection t = world.gateway.connect()) {
            for (String name : new String[] {"mocredit-0800-no-app-header.hex", "mocredit-0200-no-app-header.hex"}) {
                RealTrafficCorpus m = RealTrafficCorpus.read(RealTrafficCorpus.DIR.resolve(name));
                assertEquals(PosDialect.NO_APP_HEADER, m.dialect());
                PosMessage reply = PosMessage.unpack(t.exchange(m.body()), PosDialect.NO_APP_HEADER);
                assertEquals(m.responseMti(), reply.mti(), name);
                // the sign-on (no MAC) gets keys; the purchase then fails its MAC: the gateway issued new keys
                assertEquals(name.contains("0800") ? "00" : "A0", reply.field(39), name);
            }
        }
    }

    private static PosMessage message(String mti, String stan, Field60 f60) {
        return PosMessage.create(TPDU, AppHeader.NONE, mti).set(11, stan).set(41, "TERM1501").set(42, MID).set(f60);
    }
}
