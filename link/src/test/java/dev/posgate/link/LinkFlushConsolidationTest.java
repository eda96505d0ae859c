package dev.posgate.link;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.LengthFrameDecoder;
import dev.posgate.testing.Eventually;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, {@link LinkPoolOptions#flushConsolidation}: the requests one event-loop task writes on a
 * connection leave in one flush (one write syscall), and a request alone, or from a worker, is still
 * written and answered. A counting handler at the head of the client's pipeline (behind every other
 * handler: what it sees is what reaches the socket) counts the writes and flushes; the server counts
 * the frames of each read. Over loopback TCP, against an echo server.
 */
class LinkFlushConsolidationTest {
    private static final int K = 16;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    /** Server side: frames decoded from each read, in order. */
    private final List<Integer> framesPerRead = new CopyOnWriteArrayList<>();
    /** Client side: writes and flushes reaching the head of the connection's pipeline. */
    private final HeadCounter head = new HeadCounter();

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    @Test
    void theRequestsOfOneTaskLeaveInOneFlush() throws Exception {
        LinkPool<String, String> pool = pool(256);
        List<String> replies = inOneTask(pool, K);
        for (int i = 0; i < K; i++) assertEquals("r" + i + "|x", replies.get(i));
        assertEquals(K, head.writes.get(), "one write per request reaches the socket");
        assertEquals(1, head.flushes.get(), "and one flush for all of them: one write syscall");
        assertEquals(K, framesPerRead.stream().mapToInt(Integer::intValue).sum());
        assertTrue(framesPerRead.size() <= 2, "the server reads them at once: " + framesPerRead);
        await(pool.close());
    }

    @Test
    void withoutConsolidationEveryRequestIsFlushedOnItsOwn() throws Exception {
        LinkPool<String, String> pool = pool(0);
        inOneTask(pool, K);
        assertEquals(K, head.writes.get());
        assertEquals(K, head.flushes.get(), "Vert.x flushes each write made outside a read");
        await(pool.close());
    }

    @Test
    void aRequestAloneIsFlushedAndAnswered() throws Exception {
        LinkPool<String, String> pool = pool(256);
        assertEquals(List.of("alone|x"), inOneTask(pool, 1, "alone"));
        assertEquals(1, head.flushes.get());
        assertEquals(List.of(1), framesPerRead);
        await(pool.close());
    }

    @Test
    void aRequestFromAWorkerThreadIsFlushedAndAnswered() throws Exception {
        LinkPool<String, String> pool = pool(256);
        Future<String> reply = vertx.executeBlocking(() -> {
            assertTrue(Context.isOnWorkerThread());
            return pool.request("worker|x", Duration.ofSeconds(30));
        }).compose(f -> f);
        assertEquals("worker|x", await(reply));
        assertEquals(1, head.writes.get());
        assertEquals(1, head.flushes.get());
        await(pool.close());
    }

    /** One connection on event loop 0; {@link #head} at the head of its pipeline. */
    private LinkPool<String, String> pool(int flushConsolidation) throws Exception {
        NetServer server = server();
        LinkPool<String, String> pool = new LinkPool<>(vertx, new LinkPoolOptions().perEventLoop(true)
                .connectionsPerHost(1).maxInFlightPerConnection(2 * K).flushConsolidation(flushConsolidation)
                .host(HostAndPort.parse("127.0.0.1:" + server.actualPort())), LinkPoolTest.ECHO)
                .onConnected(socket -> ((NetSocketInternal) socket).channelHandlerContext().pipeline().addFirst(head));
        await(pool.start());
        Eventually.until("the connection up", () -> pool.connectionsUp() == 1);
        return pool;
    }

    private List<String> inOneTask(LinkPool<String, String> pool, int n) throws Exception {
        return inOneTask(pool, n, null);
    }

    /**
     * Makes {@code n} requests in one task on the connection's loop (so each is written inside its
     * {@code request} call) and returns their replies.
     */
    private List<String> inOneTask(LinkPool<String, String> pool, int n, String name) throws Exception {
        VertxInternal vi = (VertxInternal) vertx;
        EventLoop loop0 = (EventLoop) vi.nettyEventLoopGroup().iterator().next(); // the pool's one partition's
        ContextInternal caller = vi.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
                .withEventLoop(loop0).build();
        Promise<List<String>> replies = Promise.promise();
        caller.runOnContext(v -> {
            List<Future<String>> each = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                each.add(pool.request((name != null ? name : "r" + i) + "|x", Duration.ofSeconds(30)));
            }
            Future.all(each).map(all -> all.<String>list()).onComplete(replies);
        });
        return await(replies.future());
    }

    private NetServer server() throws Exception {
        return await(vertx.createNetServer().connectHandler(socket -> {
            int[] frames = new int[1];
            LengthFrameDecoder decoder = new LengthFrameDecoder(1024, new LengthFrameDecoder.Handler() {
                @Override
                public void onFrame(byte[] body) {
                    frames[0]++;
                    socket.write(Buffer.buffer().appendUnsignedShort(body.length).appendBytes(body));
                }

                @Override
                public void onError(FrameError error) {
                    socket.close();
                }
            });
            socket.handler(b -> {
                frames[0] = 0;
                decoder.feed(b.getBytes());
                framesPerRead.add(frames[0]);
            });
        }).listen(0, "127.0.0.1"));
    }

    /** Counts the non-empty writes and the flushes that reach the head of the pipeline. */
    private static final class HeadCounter extends ChannelOutboundHandlerAdapter {
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!(msg instanceof ByteBuf b) || b.isReadable()) writes.incrementAndGet();
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    }
}
