package dev.posgate.hsm.pool;

import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.LengthFrameDecoder;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal payShield-style host-command server over real TCP for the pool tests. Frames are
 * {@code [2-byte length][header][payload]}; the header is echoed. The {@link Responder} decides
 * what happens to each request; the default answers NC with ND00 + LMK check + firmware and every
 * other command with {@code <reply code>00<rest of the request>}.
 */
final class FakeHsmServer {

    /** Decides the fate of one request. Runs on the server's event loop. */
    @FunctionalInterface
    interface Responder {
        void onRequest(Exchange ex);
    }

    /** One request received on one connection. */
    final class Exchange {
        final NetSocket socket;
        final int connectionId;
        final String header;
        final byte[] payload;

        Exchange(NetSocket socket, int connectionId, String header, byte[] payload) {
            this.socket = socket;
            this.connectionId = connectionId;
            this.header = header;
            this.payload = payload;
        }

        String command() {
            return new String(payload, 0, 2, StandardCharsets.US_ASCII);
        }

        /** The default answer: ND00... for NC, else reply code + "00" + the request's fields. */
        byte[] defaultReply() {
            return FakeHsmServer.defaultReply(payload);
        }

        void reply(byte[] replyPayload) {
            send(header, replyPayload);
        }

        void replyDefault() {
            reply(defaultReply());
        }

        void replyAfter(long ms, byte[] replyPayload) {
            vertx.setTimer(ms, t -> reply(replyPayload));
        }

        void send(String hdr, byte[] replyPayload) {
            if (stopped) {
                return; // a dead HSM answers nothing, even what it had received
            }
            byte[] h = hdr.getBytes(StandardCharsets.US_ASCII);
            socket.write(Buffer.buffer()
                    .appendUnsignedShort(h.length + replyPayload.length)
                    .appendBytes(h)
                    .appendBytes(replyPayload));
        }

        void sendRaw(byte[] bytes) {
            if (stopped) {
                return;
            }
            socket.write(Buffer.buffer(bytes));
        }

        void close() {
            socket.close();
        }
    }

    static byte[] defaultReply(byte[] payload) {
        String cmd = new String(payload, 0, 2, StandardCharsets.US_ASCII);
        if (cmd.equals("NC")) {
            return "ND000123456789ABCDEF0007-E000".getBytes(StandardCharsets.US_ASCII);
        }
        byte[] r = new byte[payload.length + 2];
        r[0] = payload[0];
        r[1] = (byte) (payload[1] + 1);
        r[2] = '0';
        r[3] = '0';
        System.arraycopy(payload, 2, r, 4, payload.length - 2);
        return r;
    }

    static final Responder DEFAULT = Exchange::replyDefault;

    private final Vertx vertx;
    private final int headerLength;
    private volatile Responder responder = DEFAULT;
    private volatile NetServer server;
    private volatile int port;
    private volatile boolean stopped;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    final AtomicInteger accepted = new AtomicInteger();
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    /** Connection id of every non-NC request, in arrival order. */
    final List<Integer> requestConnections = new CopyOnWriteArrayList<>();

    FakeHsmServer(Vertx vertx, int headerLength) {
        this.vertx = vertx;
        this.headerLength = headerLength;
    }

    FakeHsmServer responder(Responder r) {
        this.responder = r;
        return this;
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    int received(String command) {
        AtomicInteger n = received.get(command);
        return n == null ? 0 : n.get();
    }

    int openConnections() {
        return sockets.size();
    }

    /** Listens on {@code port} (0 = any free port, remembered for a restart). */
    FakeHsmServer start() {
        stopped = false;
        NetServer s = vertx.createNetServer().connectHandler(this::onConnect);
        server = s;
        port = await(s.listen(port, "127.0.0.1")).actualPort();
        return this;
    }

    /**
     * The HSM dies: every connection is closed at once (replies still pending are lost), then the
     * listener stops.
     */
    void stop() {
        stopped = true;
        NetServer s = server;
        server = null;
        closeAllSockets();
        if (s != null) {
            await(s.close());
        }
        closeAllSockets(); // any accepted meanwhile
    }

    private void closeAllSockets() {
        for (NetSocket so : sockets) {
            so.close();
            sockets.remove(so);
        }
    }

    private void onConnect(NetSocket so) {
        if (stopped) {
            so.close();
            return;
        }
        int id = accepted.incrementAndGet();
        sockets.add(so);
        so.closeHandler(v -> sockets.remove(so));
        LengthFrameDecoder frames = new LengthFrameDecoder(FrameLimits.MAX_LEN, new LengthFrameDecoder.Handler() {
            @Override
            public void onFrame(byte[] body) {
                String header = new String(body, 0, headerLength, StandardCharsets.US_ASCII);
                byte[] payload = Arrays.copyOfRange(body, headerLength, body.length);
                Exchange ex = new Exchange(so, id, header, payload);
                received.computeIfAbsent(ex.command(), k -> new AtomicInteger()).incrementAndGet();
                if (!ex.command().equals("NC")) {
                    requestConnections.add(id);
                }
                responder.onRequest(ex);
            }

            @Override
            public void onError(FrameError error) {
                so.close();
            }
        });
        so.handler(buf -> {
            byte[] bytes = buf.getBytes();
            frames.feed(bytes, 0, bytes.length);
        });
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
