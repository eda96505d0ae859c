package dev.posgate.link;

import static dev.posgate.testing.Eventually.await;
import static dev.posgate.testing.Eventually.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.LengthFrameDecoder;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The core over loopback TCP with a {@link ManualTicker}: what is answered, refused, timed out or
 * reconnected, never how long it took. Requests are {@code "id|text"}; the server echoes each frame,
 * except {@code hold} ones, which it keeps until the test releases them.
 */
class LinkPoolTest {
    private final Vertx vertx = Vertx.vertx();
    private final ManualTicker ticker = new ManualTicker();
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    /** Requests carry their own id; replies may come back on any connection. */
    static final LinkProtocol<String, String> ECHO = new LinkProtocol<>() {
        @Override
        public String correlationId(String request) {
            return request.substring(0, request.indexOf('|'));
        }

        @Override
        public boolean repliesOnAnyConnection() {
            return true;
        }

        @Override
        public byte[] encode(String request, String id) {
            return request.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public Reply<String> decode(byte[] body) {
            String s = new String(body, StandardCharsets.US_ASCII);
            return new Reply<>(s.substring(0, s.indexOf('|')), s);
        }

        @Override
        public int maxReplyLength() {
            return 1024;
        }
    };

    private NetServer server() throws Exception {
        return await(vertx.createNetServer().connectHandler(socket -> {
            accepted.incrementAndGet();
            sockets.add(socket);
            LengthFrameDecoder frames = new LengthFrameDecoder(1024, new LengthFrameDecoder.Handler() {
                @Override
                public void onFrame(byte[] body) {
                    Runnable echo = () -> socket.write(Buffer.buffer().appendUnsignedShort(body.length).appendBytes(body));
                    if (new String(body, StandardCharsets.US_ASCII).endsWith("|hold")) held.add(echo);
                    else echo.run();
                }

                @Override
                public void onError(FrameError error) {
                    socket.close();
                }
            });
            socket.handler(b -> frames.feed(b.getBytes()));
        }).listen(0, "127.0.0.1"));
    }

    private LinkPool<String, String> pool(NetServer server, LinkPoolOptions options) throws Exception {
        LinkPool<String, String> pool = new LinkPool<>(vertx, options.host(HostAndPort.parse("127.0.0.1:" + server.actualPort())),
                ECHO).ticker(ticker);
        await(pool.start());
        Eventually.until("all connections up", () -> pool.connectionsUp() == options.connectionsPerHost());
        return pool;
    }

    @Test
    void aReplyIsMatchedByIdAndATwinInFlightIsRefused() throws Exception {
        LinkPool<String, String> pool = pool(server(), new LinkPoolOptions().connectionsPerHost(2));
        Future<String> first = pool.request("a|hold", Duration.ofSeconds(1));
        Eventually.until("held", () -> held.size() == 1);
        assertInstanceOf(IllegalStateException.class, failure(pool.request("a|again", Duration.ofSeconds(1))));
        assertEquals("b|x", await(pool.request("b|x", Duration.ofSeconds(1))));
        held.forEach(Runnable::run);
        assertEquals("a|hold", await(first));
        await(pool.close());
    }

    @Test
    void consecutiveTimeoutsTripTheBreakerAndTheConnectionIsReplaced() throws Exception {
        LinkPool<String, String> pool = pool(server(), new LinkPoolOptions().breakerConsecutiveTimeouts(2)
                .backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0, () -> 0)));
        Future<String> t1 = pool.request("1|hold", Duration.ofMillis(500));
        Future<String> t2 = pool.request("2|hold", Duration.ofMillis(500));
        Eventually.until("both held, timers armed", () -> held.size() == 2 && ticker.pending() == 2);
        ticker.advance(Duration.ofMillis(500));
        assertEquals(LinkException.Kind.TIMEOUT, ((LinkException) failure(t1)).kind());
        assertEquals(LinkException.Kind.TIMEOUT, ((LinkException) failure(t2)).kind());
        Eventually.until("recycled, reconnect scheduled", () -> pool.connectionsUp() == 0 && ticker.pending() == 1);
        LinkException down = (LinkException) failure(pool.request("3|x", Duration.ofSeconds(1)));
        assertEquals(LinkException.Kind.UNAVAILABLE, down.kind());
        assertTrue(down.getMessage().contains("circuit open"), down.getMessage());
        ticker.advance(Duration.ofMillis(100)); // the backoff's first delay
        Eventually.until("reconnected", () -> pool.connectionsUp() == 1);
        Eventually.until("the server accepted the replacement", () -> accepted.get() == 2); // the client can see it up first
        assertEquals("4|x", await(pool.request("4|x", Duration.ofSeconds(1))));
        await(pool.close());
    }

    @Test
    void aLostConnectionFailsWhatWasWrittenAndReconnectsAfterTheBackoff() throws Exception {
        LinkPool<String, String> pool = pool(server(), new LinkPoolOptions()
                .backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0, () -> 0)));
        Future<String> inFlight = pool.request("1|hold", Duration.ofSeconds(10));
        Eventually.until("held", () -> held.size() == 1);
        sockets.get(0).close();
        assertEquals(LinkException.Kind.CONNECTION_LOST, ((LinkException) failure(inFlight)).kind());
        Eventually.until("reconnect scheduled", () -> pool.connectionsUp() == 0 && ticker.pending() >= 1);
        ticker.advance(Duration.ofMillis(99));
        assertEquals(1, accepted.get(), "not before the backoff");
        ticker.advance(Duration.ofMillis(1));
        Eventually.until("reconnected", () -> pool.connectionsUp() == 1);
        assertEquals("2|x", await(pool.request("2|x", Duration.ofSeconds(1))));
        assertEquals(0, pool.outstanding());
        await(pool.close());
        assertTrue(failure(pool.request("3|x", Duration.ofSeconds(1))).getMessage().contains("closed"));
    }
}
