package dev.posgate.gateway.platform.server;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.Dispatcher;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.support.Frames;
import dev.posgate.link.ManualTicker;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.testing.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listener's rate limits and its idle sweep run on an injected ticker: what is admitted,
 * held, refused or closed changes only when the test moves time, never with the machine's speed.
 * A real listener on a real socket; the dispatcher is an in-memory echo.
 */
class ListenerTickerTest {
    private static final Duration IDLE = Duration.ofSeconds(60);

    private final Vertx vertx = Vertx.vertx();
    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Dispatcher echo = (session, family, body) ->
            Future.succeededFuture(new Dispatcher.Routed("echo", new Response(body, "00", false)));
    private int port;

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    private void listen(RateLimit perIp, RateLimit requests) throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ListenerSettings settings = new ListenerSettings("127.0.0.1", port, new FrameLimits(8192, 8192), IDLE,
                Duration.ofSeconds(30), 8, Duration.ofSeconds(1), Duration.ofSeconds(30), perIp, requests);
        await(vertx.deployVerticle(new ListenerVerticle(settings, echo, new ConnectionGuard(100, 100),
                new GatewayMetrics(registry), new AtomicLong(), null, ticker)));
    }

    private double counter(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    private static void echoes(TerminalConnection c, String stan) throws Exception {
        byte[] request = Frames.echoRequest(stan);
        assertArrayEquals(request, c.exchange(request), "admitted: the request is answered");
    }

    @Test
    void aRefusedAddressIsAdmittedAgainOnlyOnceTheTickerHasMoved() throws Exception {
        listen(RateLimit.of(1, 2), null); // one a second, two at once
        try (TerminalConnection first = TerminalConnection.open("127.0.0.1", port);
                TerminalConnection second = TerminalConnection.open("127.0.0.1", port)) {
            echoes(first, "000001");
            echoes(second, "000002");
            try (TerminalConnection third = TerminalConnection.open("127.0.0.1", port)) {
                assertTrue(third.closedByPeer(30_000), "the third at the same instant is over the burst");
            }
            assertEquals(1, counter("posgate_connections_refused_total", "reason", "ip_rate"));
            ticker.advance(Duration.ofSeconds(1));
            try (TerminalConnection later = TerminalConnection.open("127.0.0.1", port)) {
                echoes(later, "000003");
            }
            assertEquals(1, counter("posgate_connections_refused_total", "reason", "ip_rate"), "nothing else refused");
        }
    }

    @Test
    void aRequestOverTheRateIsHeldUntilTheTickerHasMoved() throws Exception {
        listen(null, RateLimit.of(1, 1)); // one request a second, no burst
        try (TerminalConnection t = TerminalConnection.open("127.0.0.1", port)) {
            byte[] a = Frames.echoRequest("000011");
            byte[] b = Frames.echoRequest("000012");
            t.send(a);
            t.send(b);
            assertArrayEquals(a, t.receive(), "the first is within the rate");
            Eventually.until("the second request is held", () -> registry.get("posgate_requests_throttled_total").counter().count() == 1);
            ticker.advance(Duration.ofSeconds(1));
            t.setTimeout(60_000);
            assertArrayEquals(b, t.receive(), "released once a token is back, slowed down rather than refused");
        }
    }

    @Test
    void theSweepClosesAnIdleSessionOnceTheTickerPassesTheIdleTimeout() throws Exception {
        listen(null, null);
        try (TerminalConnection t = TerminalConnection.open("127.0.0.1", port)) {
            echoes(t, "000021");
            // the real clock would need a minute: the sweep closes it as soon as it runs after the move
            ticker.advance(IDLE.plusSeconds(1));
            assertTrue(t.closedByPeer(60_000), "closed by the sweep as idle");
            assertEquals(1, counter("posgate_sessions_closed_total", "reason", "idle"));
        }
    }
}
