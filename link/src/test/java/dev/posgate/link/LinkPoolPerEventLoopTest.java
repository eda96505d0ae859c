package dev.posgate.link;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.LengthFrameDecoder;
import dev.posgate.testing.Eventually;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: with {@link LinkPoolOptions#perEventLoop} a request made on event loop X is written by X
 * before {@code request} returns, its reply is decoded on X, and its future completes on X inside
 * that same decoding call: no other thread and no task queue in between. The protocol records the
 * thread of every encode and decode, and whether it ran inside the caller's {@code request} call;
 * with one pool context for all (the pool before issue 19) the encodes of four callers on four
 * loops would all run on one thread, after {@code request} returned.
 */
class LinkPoolPerEventLoopTest {
    private static final int LOOPS = 4;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    /** Per request text: where it was encoded and decoded. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** Set on a caller's thread while it is inside {@code request}, and while a reply is being decoded. */
    private static final ThreadLocal<String> inRequest = new ThreadLocal<>();
    private static final ThreadLocal<String> decoding = new ThreadLocal<>();

    private record Seen(Thread encodeThread, boolean encodedInsideRequest, Thread decodeThread) {}

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    /** Link-numbered ids ({@code id|text}), replies on the request's connection: the HSM's kind. */
    private final LinkProtocol<String, String> numbered = new LinkProtocol<>() {
        @Override
        public String correlationId(String request) {
            return null;
        }

        @Override
        public String sequenceId(long sequence) {
            return Long.toString(sequence);
        }

        @Override
        public byte[] encode(String request, String id) {
            seen.put(request, new Seen(Thread.currentThread(), request.equals(inRequest.get()), null));
            return (id + "|" + request).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public Reply<String> decode(byte[] body) {
            String s = new String(body, StandardCharsets.US_ASCII);
            int bar = s.indexOf('|');
            String text = s.substring(bar + 1);
            seen.computeIfPresent(text, (k, v) -> new Seen(v.encodeThread(), v.encodedInsideRequest(), Thread.currentThread()));
            decoding.set(text);
            // cleared by the next task on this loop: a completion run from a task comes after it
            Vertx.currentContext().runOnContext(v -> decoding.remove());
            return new Reply<>(s.substring(0, bar), text);
        }

        @Override
        public int maxReplyLength() {
            return 1024;
        }
    };

    private NetServer server() throws Exception {
        return await(vertx.createNetServer().connectHandler(socket -> {
            LengthFrameDecoder frames = new LengthFrameDecoder(1024, new LengthFrameDecoder.Handler() {
                @Override
                public void onFrame(byte[] body) {
                    Runnable echo = () -> socket.write(Buffer.buffer().appendUnsignedShort(body.length).appendBytes(body));
                    if (new String(body, StandardCharsets.US_ASCII).endsWith("hold")) held.add(echo);
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

    private LinkPool<String, String> pool(int connections, int maxInFlight) throws Exception {
        NetServer server = server();
        LinkPool<String, String> pool = new LinkPool<>(vertx, new LinkPoolOptions().perEventLoop(true)
                .connectionsPerHost(connections).maxInFlightPerConnection(maxInFlight)
                .host(HostAndPort.parse("127.0.0.1:" + server.actualPort())), numbered);
        await(pool.start());
        Eventually.until("all connections up", () -> pool.connectionsUp() == connections);
        return pool;
    }

    /** An event-loop context on each of Vert.x's loops, in the group's order. */
    private List<ContextInternal> oneContextPerLoop() {
        VertxInternal vi = (VertxInternal) vertx;
        List<ContextInternal> contexts = new ArrayList<>();
        for (EventExecutor loop : vi.nettyEventLoopGroup()) {
            contexts.add(vi.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
                    .withEventLoop((io.netty.channel.EventLoop) loop).build());
        }
        assertEquals(LOOPS, contexts.size());
        return contexts;
    }

    /** What the completion of a request saw. */
    private record Done(Thread callerThread, Thread completionThread, boolean sameContext,
            boolean insideDecodeOfItsReply, String reply) {}

    /** Makes {@code text} on {@code caller}, marking the thread as inside the call while it runs. */
    private CompletableFuture<Done> call(LinkPool<String, String> pool, ContextInternal caller, String text) {
        CompletableFuture<Done> done = new CompletableFuture<>();
        caller.runOnContext(v -> {
            Thread thread = Thread.currentThread();
            inRequest.set(text);
            Future<String> f;
            try {
                f = pool.request(text, Duration.ofSeconds(30));
            } finally {
                inRequest.remove();
            }
            f.onComplete(ar -> done.complete(new Done(thread, Thread.currentThread(),
                    ContextInternal.current() == caller, text.equals(decoding.get()),
                    ar.succeeded() ? ar.result() : String.valueOf(ar.cause()))));
        });
        return done;
    }

    @Test
    void aRequestFromEachLoopIsWrittenAnsweredAndCompletedOnThatLoopWithoutAHandOff() throws Exception {
        LinkPool<String, String> pool = pool(LOOPS, 8);
        assertEquals(LOOPS, pool.partitions());
        List<ContextInternal> callers = oneContextPerLoop();
        List<CompletableFuture<Done>> all = new ArrayList<>();
        for (int i = 0; i < callers.size(); i++) {
            all.add(call(pool, callers.get(i), "loop" + i));
        }
        for (int i = 0; i < all.size(); i++) {
            Done d = all.get(i).get(60, TimeUnit.SECONDS);
            Seen s = seen.get("loop" + i);
            assertEquals("loop" + i, d.reply);
            assertSame(d.callerThread, s.encodeThread(), "written by the caller's loop");
            assertTrue(s.encodedInsideRequest(), "written inside the caller's request call, not from a task");
            assertSame(d.callerThread, s.decodeThread(), "its reply read on the caller's loop");
            assertSame(d.callerThread, d.completionThread, "completed on the caller's loop");
            assertTrue(d.sameContext, "completed on the caller's context");
            assertTrue(d.insideDecodeOfItsReply, "completed inside the decoding of its reply, not from a task");
        }
        await(pool.close());
    }

    @Test
    void aLoopWithoutAConnectionOfItsOwnIsServedByAnotherAndStillCompletesOnItsContext() throws Exception {
        LinkPool<String, String> pool = pool(2, 8); // loops 0 and 1 have one each; 2 and 3 none
        assertEquals(2, pool.partitions());
        List<ContextInternal> callers = oneContextPerLoop();
        Done d = call(pool, callers.get(3), "loop3").get(60, TimeUnit.SECONDS);
        Seen s = seen.get("loop3");
        assertEquals("loop3", d.reply);
        assertNotEquals(d.callerThread, s.encodeThread(), "written by a loop that has a connection");
        assertTrue(s.encodeThread() == loopThread(callers.get(0)) || s.encodeThread() == loopThread(callers.get(1)));
        assertSame(d.callerThread, d.completionThread, "completed on the caller's loop");
        assertTrue(d.sameContext, "completed on the caller's context");
        await(pool.close());
    }

    @Test
    void aFullLoopHandsTheNextRequestToALoopWithRoom() throws Exception {
        LinkPool<String, String> pool = pool(2, 1); // one request in flight per connection
        List<ContextInternal> callers = oneContextPerLoop();
        CompletableFuture<Done> first = call(pool, callers.get(0), "first-hold");
        Eventually.until("the first held by the server", () -> held.size() == 1);
        Done second = call(pool, callers.get(0), "second").get(60, TimeUnit.SECONDS);
        assertEquals("second", second.reply);
        assertSame(loopThread(callers.get(0)), seen.get("first-hold").encodeThread(), "the first on its own loop");
        assertSame(loopThread(callers.get(1)), seen.get("second").encodeThread(), "the second on the loop with room");
        assertSame(second.callerThread, second.completionThread, "completed on the caller's loop");
        assertTrue(second.sameContext, "completed on the caller's context");
        held.forEach(Runnable::run);
        assertEquals("first-hold", first.get(60, TimeUnit.SECONDS).reply);
        await(pool.close());
    }

    /** Requests carry their own id ({@code id|text}); the server answers each on the next connection. */
    private static final LinkProtocol<String, String> OWN_IDS = LinkPoolTest.ECHO;

    @Test
    void aReplyOnAnotherLoopsConnectionCompletesItsRequestOnTheCallersContextAndTwinsAreRefusedLinkWide()
            throws Exception {
        List<io.vertx.core.net.NetSocket> sockets = new CopyOnWriteArrayList<>();
        NetServer server = await(vertx.createNetServer().connectHandler(socket -> {
            sockets.add(socket);
            LengthFrameDecoder frames = new LengthFrameDecoder(1024, new LengthFrameDecoder.Handler() {
                @Override
                public void onFrame(byte[] body) {
                    Runnable answer = () -> {
                        io.vertx.core.net.NetSocket other = sockets.get((sockets.indexOf(socket) + 1) % sockets.size());
                        other.write(Buffer.buffer().appendUnsignedShort(body.length).appendBytes(body));
                    };
                    if (new String(body, StandardCharsets.US_ASCII).endsWith("hold")) held.add(answer);
                    else answer.run();
                }

                @Override
                public void onError(FrameError error) {
                    socket.close();
                }
            });
            socket.handler(b -> frames.feed(b.getBytes()));
        }).listen(0, "127.0.0.1"));
        LinkPool<String, String> pool = new LinkPool<>(vertx, new LinkPoolOptions().perEventLoop(true)
                .connectionsPerHost(2).host(HostAndPort.parse("127.0.0.1:" + server.actualPort())), OWN_IDS);
        await(pool.start());
        Eventually.until("both connections up", () -> pool.connectionsUp() == 2 && sockets.size() == 2);
        assertEquals(2, pool.partitions());
        List<ContextInternal> callers = oneContextPerLoop();
        List<CompletableFuture<Done>> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 5; k++) {
                all.add(call(pool, callers.get(i), "L" + i + "-" + k + "|x"));
            }
        }
        for (CompletableFuture<Done> f : all) {
            Done d = f.get(60, TimeUnit.SECONDS);
            assertTrue(d.reply.endsWith("|x"), d.reply);
            assertSame(d.callerThread, d.completionThread, "completed on the caller's loop");
            assertTrue(d.sameContext, "completed on the caller's context");
        }
        CompletableFuture<Done> first = call(pool, callers.get(0), "T|hold");
        Eventually.until("held", () -> held.size() == 1);
        Done twin = call(pool, callers.get(1), "T|again").get(60, TimeUnit.SECONDS);
        assertTrue(twin.reply.contains("already in flight"), twin.reply);
        held.forEach(Runnable::run);
        assertEquals("T|hold", first.get(60, TimeUnit.SECONDS).reply);
        assertEquals(0, pool.outstanding());
        await(pool.close());
    }

    private static Thread loopThread(ContextInternal c) throws Exception {
        CompletableFuture<Thread> t = new CompletableFuture<>();
        c.runOnContext(v -> t.complete(Thread.currentThread()));
        return t.get(60, TimeUnit.SECONDS);
    }
}
