package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connection caps, idle timeout, the in-flight cap and graceful shutdown, over real TCP. */
class SessionLimitsIT {

    @Test
    void limitsAndShutdown() throws Exception {
        TestGateway gateway = TestGateway.start(Map.of(
                Setting.MAX_CONNECTIONS_PER_IP, 3,
                Setting.IDLE_TIMEOUT, 1,
                Setting.MAX_INFLIGHT, 2,
                Setting.DRAIN_TIMEOUT, 5));
        boolean stopped = false;
        try {
            perIpCapRefusesTheFourthConnection(gateway);
            idleSessionsAreClosed(gateway);
            pipeliningBeyondTheInflightCapCloses(gateway);

            TerminalConnection open = gateway.connect();
            assertEquals("00", PosMessage.unpack(open.exchange(Frames.echoRequest("000010"))).field(39));
            int port = gateway.port();
            gateway.close();
            stopped = true;
            assertTrue(open.closedByPeer(5000), "shutdown closes idle sessions");
            assertThrows(ConnectException.class, () -> TerminalConnection.open("127.0.0.1", port), "no longer accepting");
        } finally {
            if (!stopped) gateway.close();
        }
    }

    private static void perIpCapRefusesTheFourthConnection(TestGateway gateway) throws Exception {
        List<TerminalConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                TerminalConnection t = gateway.connect();
                assertEquals("00", PosMessage.unpack(t.exchange(Frames.echoRequest("00000" + i))).field(39));
                held.add(t);
            }
            try (TerminalConnection fourth = gateway.connect()) {
                assertTrue(fourth.closedByPeer(3000), "the 4th connection from one address is closed at accept");
            }
            assertTrue(Metrics.value(gateway, "posgate_connections_refused_total{reason=\"ip_cap\"}") >= 1);
        } finally {
            for (TerminalConnection t : held) t.close();
        }
        // the next step counts connections: the gateway must have seen these closes
        Eventually.until("the gateway sees the closes", () -> Metrics.value(gateway, "posgate_connections_active") == 0);
    }

    private static void idleSessionsAreClosed(TestGateway gateway) throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            assertEquals("00", PosMessage.unpack(t.exchange(Frames.echoRequest("000020"))).field(39));
            long start = System.nanoTime();
            assertTrue(t.closedByPeer(5000), "idle timeout of 1 s (swept every second)");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900));
        }
    }

    private static void pipeliningBeyondTheInflightCapCloses(TestGateway gateway) throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            // sign-offs go to the database, so they stay in flight while the next frames arrive
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                PosMessage m = PosMessage.unpack(Frames.echoRequest(String.format("%06d", 100 + i)));
                m.set(60, "00000001002");
                byte[] body = m.pack();
                burst.write(body.length >>> 8);
                burst.write(body.length);
                burst.write(body);
            }
            t.writeRaw(burst.toByteArray());
            boolean closed = false;
            for (int i = 0; i < 20 && !closed; i++) {
                try {
                    t.receive();
                } catch (java.io.IOException e) {
                    closed = true;
                }
            }
            assertTrue(closed, "20 requests pipelined against a cap of 2 close the connection");
        }
        assertTrue(Metrics.value(gateway, "posgate_sessions_closed_total{reason=\"inflight_cap\"}") >= 1);
    }
}
