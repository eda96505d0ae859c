package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.pos.PosMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Abuse limits over real TCP: first-frame timeout, per-connection request rate, per-IP connection rate. */
class AbuseLimitsIT {

    @Test
    void silentConnectionsAreClosedAndFloodingTerminalsSlowedDown() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of(
                Setting.FIRST_FRAME_TIMEOUT, 1,
                Setting.REQUEST_RATE, 4,
                Setting.REQUEST_BURST, 3))) {
            TerminalConnection silent = gateway.connect();
            TerminalConnection keepAlives = gateway.connect();
            TerminalConnection talking = gateway.connect();
            assertEquals("00", echo(talking, "000001"));
            try {
                for (int i = 0; i < 3; i++) {
                    keepAlives.writeRaw(new byte[] {0, 0}); // a zero-length frame is a keep-alive, not a request
                    Thread.sleep(400);
                }
            } catch (IOException closedMeanwhile) {
                // a slow machine may already have swept it: what is asserted next still holds
            }
            assertTrue(silent.closedByPeer(3000), "no frame within 1 s (swept every second)");
            assertTrue(keepAlives.closedByPeer(3000), "keep-alives alone are not a first request");
            assertEquals("00", echo(talking, "000002"), "a terminal that sent a request stays connected");
            assertEquals(2, Metrics.value(gateway, "posgate_sessions_closed_total{reason=\"first_frame_timeout\"}"));

            // a fresh connection: its burst of 3 is answered at once; the 4 requests pipelined right
            // after are over the rate (4/s): held, then answered a quarter of a second apart
            TerminalConnection flooder = gateway.connect();
            for (int i = 0; i < 3; i++) assertEquals("00", echo(flooder, "00001" + i));
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 4; i++) {
                byte[] body = Frames.echoRequest("00002" + i);
                flood.write(body.length >>> 8);
                flood.write(body.length);
                flood.write(body);
            }
            long sent = System.nanoTime();
            flooder.writeRaw(flood.toByteArray());
            flooder.setTimeout(5000);
            for (int i = 0; i < 4; i++) {
                assertEquals("00002" + i, PosMessage.unpack(flooder.receive()).field(11), "answered in order");
            }
            long tookMs = (System.nanoTime() - sent) / 1_000_000;
            System.out.println("AbuseLimitsIT: 4 requests over a 4/s rate answered within " + tookMs + " ms");
            // not a timing assertion on speed: the rate guarantees a lower bound of 3 intervals
            assertTrue(tookMs >= 700, "4 requests over a 4/s rate span at least 3 intervals, took " + tookMs + " ms");
            assertEquals(4, Metrics.value(gateway, "posgate_requests_throttled_total"));
            assertEquals("00", echo(flooder, "000030"), "a throttled terminal stays connected");
            assertEquals("00", echo(talking, "000003"), "the limit is per connection: another terminal is served");
            flooder.close();
            silent.close();
            keepAlives.close();
            talking.close();
        }
    }

    @Test
    void connectionsFromOneAddressBeyondItsRateAreRefusedAtAccept() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of(
                Setting.CONNECTION_RATE_PER_IP, 1,
                Setting.CONNECTION_BURST_PER_IP, 3))) {
            List<TerminalConnection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    TerminalConnection t = gateway.connect();
                    assertEquals("00", echo(t, "00001" + i));
                    held.add(t);
                }
                try (TerminalConnection fourth = gateway.connect()) {
                    assertTrue(fourth.closedByPeer(3000), "the 4th connection within the burst window is refused");
                }
                assertEquals(1, Metrics.value(gateway, "posgate_connections_refused_total{reason=\"ip_rate\"}"));
                // the token coming back as time passes: ListenerTickerTest, on a ticker the test moves
            } finally {
                for (TerminalConnection t : held) t.close();
            }
        }
    }

    private static String echo(TerminalConnection t, String stan) throws Exception {
        return PosMessage.unpack(t.exchange(Frames.echoRequest(stan))).field(39);
    }
}
