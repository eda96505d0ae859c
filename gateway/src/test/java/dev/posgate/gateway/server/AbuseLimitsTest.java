package dev.posgate.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.config.Setting;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.pos.PosMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Abuse limits over real TCP: first-frame timeout, per-connection request rate, per-IP connection rate. */
class AbuseLimitsTest {

    @Test
    void silentConnectionsAreClosedAndFloodingTerminalsCutOff() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of(
                Setting.FIRST_FRAME_TIMEOUT, 1,
                Setting.REQUEST_RATE, 1,
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

            // a fresh connection: its burst of 3 is answered, the flood right after ends it
            TerminalConnection flooder = gateway.connect();
            for (int i = 0; i < 3; i++) assertEquals("00", echo(flooder, "00001" + i));
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 3; i++) {
                byte[] body = Frames.echoRequest("00002" + i);
                flood.write(body.length >>> 8);
                flood.write(body.length);
                flood.write(body);
            }
            flooder.writeRaw(flood.toByteArray()); // one write: the gateway may close before a second one
            assertTrue(drainedThenClosed(flooder), "requests over the rate end the session");
            assertEquals(1, Metrics.value(gateway, "posgate_sessions_closed_total{reason=\"request_rate\"}"));
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
                Thread.sleep(1100); // one token back after a second
                try (TerminalConnection later = gateway.connect()) {
                    assertEquals("00", echo(later, "000020"));
                    assertFalse(later.closedByPeer(200));
                }
            } finally {
                for (TerminalConnection t : held) t.close();
            }
        }
    }

    /** Reads whatever answers still arrive (a token may have come back meanwhile) until the gateway closes. */
    private static boolean drainedThenClosed(TerminalConnection t) throws Exception {
        t.setTimeout(3000);
        try {
            for (int i = 0; i < 3; i++) t.receive();
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException closed) {
            return true;
        }
    }

    private static String echo(TerminalConnection t, String stan) throws Exception {
        return PosMessage.unpack(t.exchange(Frames.echoRequest(stan))).field(39);
    }
}
