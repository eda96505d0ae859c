package dev.posgate.gateway.platform.server;

import static dev.posgate.gateway.support.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.ConnectionStorm;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.testing.Eventually;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input of issue 2: the offending connection gets a clear outcome (a
 * response code, or a close) and the gateway keeps serving everybody else, which each test
 * checks after the fact with a fresh echo.
 */
class BadInputIT {
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(Map.of(Setting.FRAME_TIMEOUT, 2, Setting.MAX_CONNECTIONS, 15_000,
                Setting.MAX_CONNECTIONS_PER_IP, 15_000));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @AfterEach
    void gatewayStillServes() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            assertEquals("00", PosMessage.unpack(t.exchange(Frames.echoRequest("000999"))).field(39));
        }
    }

    @Test
    void anAnnouncedLengthOverTheMaximumClosesAtOnceWithoutTheBody() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            t.writeRaw(hex("20 01 60")); // 8193 > 8192 for ISO8583, family byte only: nothing else is sent
            assertTrue(t.closedByPeer(3000));
        }
        assertTrue(metric("posgate_decode_errors_total{reason=\"oversized\"}") >= 1);
    }

    @Test
    void aFrameCutOffThenTheConnectionClosed() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            t.writeRaw(hex("00 32 60 00 03 00 00 60 31")); // announces 50 bytes, sends 7
        }
    }

    @Test
    void aSlowSenderDribblingALargeFrameIsCutOff() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            t.writeRaw(hex("1F 40 60")); // 8000 bytes announced
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) { // one byte every 250 ms would take 33 minutes
                try {
                    t.writeRaw(new byte[] {0});
                } catch (java.io.IOException e) {
                    closed = true;
                    break;
                }
                closed = t.closedByPeer(250);
            }
            assertTrue(closed, "frame timeout of 2 s must close a frame that never completes");
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(9));
        }
        assertTrue(metric("posgate_sessions_closed_total{reason=\"frame_timeout\"}") >= 1);
    }

    @Test
    void anUnknownFamilyByteCloses() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            t.writeRaw(hex("00 04 41 42 43 44"));
            assertTrue(t.closedByPeer(3000));
        }
    }

    // Attributable format errors (TPDU, header, MTI and bitmap parse): answered 30, connection kept (issue 14).

    @Test
    void invalidBcdInAFieldIsAnswered30() throws Exception {
        byte[] body = Frames.echoRequest("00012A"); // STAN with a nibble A
        PosMessage reply = assertAnswered30(body);
        assertNull(reply.field(11), "the STAN did not parse, so it is not echoed");
        assertEquals("TERM0001", reply.field(41));
        assertTrue(metric("posgate_pos_format_errors_total{field=\"11\",outcome=\"answered\"}") >= 1);
    }

    @Test
    void bitmapBitOneSetIsAnswered30() throws Exception {
        byte[] body = Frames.echoRequest("000123");
        body[13] |= (byte) 0x80; // first bitmap byte, after TPDU(5) + header(6) + MTI(2)
        assertAnswered30(body);
    }

    @Test
    void anLlvarLengthAboveTheFieldMaximumIsAnswered30() throws Exception {
        assertAnswered30(hex("""
                60 0003 0000  60 31 00 31 03 01  02 00
                40 00 00 00 00 00 00 00     # bitmap: field 2 only
                25 12 34 56 78 90 12 34 56 78 90 12 34 56   # LL = 25 digits > 19
                """));
        assertTrue(metric("posgate_pos_format_errors_total{field=\"2\",outcome=\"answered\"}") >= 1);
    }

    @Test
    void anLllvarLengthBeyondTheFrameIsAnswered30WithWhatParsedBefore() throws Exception {
        byte[] body = Frames.echoRequest("000123");
        body[body.length - 8] = 0x09; // field 60 LLL: 0911 digits, far beyond the frame
        PosMessage reply = assertAnswered30(body);
        assertEquals("000123", reply.field(11));
        assertEquals("898310048990001", reply.field(42));
    }

    // Not attributable: nothing in it can be answered, the connection closes.

    @Test
    void invalidBcdInTheMtiCloses() throws Exception {
        byte[] body = Frames.echoRequest("000123");
        body[11] = 0x0A; // MTI 0A20
        assertClosedAfter(body);
        assertTrue(metric("posgate_pos_format_errors_total{field=\"mti\",outcome=\"closed\"}") >= 1);
    }

    @Test
    void aResponseWithABadFieldCloses() throws Exception {
        byte[] body = Frames.echoRequest("00012A");
        body[12] = 0x30; // MTI 0830: a response is never answered
        assertClosedAfter(body);
    }

    /** Found by PosMessageFuzzTest: field 60 parses as n..17 but is too short for 60.1-60.3. */
    @Test
    void aField60TooShortToRouteGetsFormatError30() throws Exception {
        PosMessage req = PosMessage.unpack(Frames.echoRequest("000126"));
        req.set(60, "00000");
        try (TerminalConnection t = gateway.connect()) {
            PosMessage reply = PosMessage.unpack(t.exchange(req.pack()));
            assertEquals("30", reply.field(39));
            assertEquals("000126", reply.field(11));
        }
    }

    @Test
    void aTlvLengthBeyondTheBodyGetsFormatError30() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            byte[] reply = t.exchange(hex("""
                    54 4D 01 48 31 00 00 00 00 07 30 30   # header: H1, seq 7
                    DF 01 20 41 42 43                     # DF01 announces 32 bytes, 3 follow
                    """));
            TmsMessage m = TmsMessage.unpack(reply);
            assertEquals("30", m.header().status());
            assertEquals(7, m.header().seq());
        }
    }

    @Test
    void tenThousandConnectionsOpenedAndDroppedAtOnce() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process storm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ConnectionStorm.class.getName(), "127.0.0.1", String.valueOf(gateway.port()), "10000")
                .redirectErrorStream(true)
                .start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(storm.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().reduce("", (a, b) -> a + b + "\n");
        }
        assertTrue(storm.waitFor(90, TimeUnit.SECONDS));
        Matcher m = Pattern.compile("connected=(\\d+) failed=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Integer.parseInt(m.group(1)) >= 9000, "most of the storm must get through the accept queue: " + out);
        Eventually.until("every dropped connection is released", () -> metric("posgate_connections_active") == 0);
    }

    /** The answer to an attributable format error: response MTI, 30, no MAC; the connection still serves. */
    private static PosMessage assertAnswered30(byte[] body) throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            PosMessage reply = PosMessage.unpack(t.exchange(body));
            assertEquals("30", reply.field(39));
            // the response MTI of the request's (bytes 11-12 after TPDU and header)
            assertEquals(String.format("%02X%02X", body[11], body[12] + 0x10), reply.mti());
            assertFalse(reply.has(64), "no MAC on a format error");
            assertEquals("00", PosMessage.unpack(t.exchange(Frames.echoRequest("000998"))).field(39),
                    "the connection stays open");
            return reply;
        }
    }

    private static void assertClosedAfter(byte[] body) throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            t.send(body);
            assertTrue(t.closedByPeer(3000), "an unparseable message closes the connection");
        }
    }

    static double metric(String series) throws Exception {
        return Metrics.value(gateway, series);
    }
}
