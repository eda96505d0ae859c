package dev.posgate.gateway.posp.upstream;

import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent ISO8583 link to the upstream host: several TCP connections (same 2-byte length
 * framing as terminals), requests spread round-robin over the connections that are up, replies
 * matched by terminal id + STAN + request MTI (any connection may carry the reply), each request
 * with its own timeout. A dropped connection reconnects after a back-off; its requests in flight
 * simply time out.
 */
public final class UpstreamLink {
    private static final Logger log = LoggerFactory.getLogger(UpstreamLink.class);

    private record Pending(Promise<PosMessage> promise, Context context, long timer) {}

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final int connections;
    private final Duration timeout;
    private final NetClient client;
    private final List<NetSocket> up = new ArrayList<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    public UpstreamLink(Vertx vertx, String hostAndPort, int connections, Duration timeout) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("upstream.host must be host:port: " + hostAndPort);
        this.vertx = vertx;
        this.host = hostAndPort.substring(0, colon);
        this.port = Integer.parseInt(hostAndPort.substring(colon + 1));
        this.connections = connections;
        this.timeout = timeout;
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2000));
    }

    /** Opens the connections; succeeds even when the host is down (they keep retrying). */
    public Future<Void> start() {
        List<Future<Void>> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) all.add(connect(i));
        return Future.join(all).transform(ar -> {
            log.info("upstream link to {}:{}: {} of {} connections up", host, port, connectionsUp(), connections);
            return Future.succeededFuture();
        });
    }

    private Future<Void> connect(int slot) {
        if (closed) return Future.succeededFuture();
        return client.connect(port, host).map(socket -> {
            FrameDecoder decoder = new FrameDecoder(FrameLimits.defaults(), new FrameSink() {
                @Override
                public void onFrame(Family family, byte[] body) {
                    onReply(body);
                }

                @Override
                public void onError(FrameError error) {
                    log.warn("upstream sent an invalid frame ({}), reconnecting", error);
                    socket.close();
                }
            });
            socket.handler(b -> {
                byte[] bytes = b.getBytes();
                decoder.feed(bytes, 0, bytes.length);
            });
            socket.closeHandler(v -> {
                synchronized (up) {
                    up.remove(socket);
                }
                if (!closed) vertx.setTimer(1000, id -> reconnect(slot));
            });
            synchronized (up) {
                up.add(socket);
            }
            return (Void) null;
        }).onFailure(e -> {
            if (!closed) vertx.setTimer(1000, id -> reconnect(slot));
        });
    }

    private void reconnect(int slot) {
        connect(slot);
    }

    public int connectionsUp() {
        synchronized (up) {
            return up.size();
        }
    }

    /** Requests sent and neither answered nor timed out yet. */
    public int pending() {
        return pending.size();
    }

    /**
     * Sends a packed upstream body and completes, on the caller's context, with the host's reply.
     * {@code tid}/{@code stan}/{@code mti} are the request's fields 41, 11 and MTI.
     */
    public Future<PosMessage> request(String tid, String stan, String mti, byte[] body) {
        NetSocket socket;
        synchronized (up) {
            socket = up.isEmpty() ? null : up.get(Math.floorMod(next.getAndIncrement(), up.size()));
        }
        if (socket == null) return Future.failedFuture(UpstreamException.unavailable("no upstream connection up"));
        String key = key(tid, stan, mti);
        Context context = vertx.getOrCreateContext();
        Promise<PosMessage> promise = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            Pending p = pending.remove(key);
            if (p != null) p.context.runOnContext(v -> p.promise.tryFail(
                    UpstreamException.timedOut("no upstream reply within " + timeout.toMillis() + " ms")));
        });
        if (pending.putIfAbsent(key, new Pending(promise, context, timer)) != null) {
            vertx.cancelTimer(timer);
            return Future.failedFuture(new IllegalStateException("a request for this terminal and STAN is already in flight"));
        }
        socket.write(Buffer.buffer(FrameEncoder.encode(body)));
        return promise.future();
    }

    private void onReply(byte[] body) {
        PosMessage reply;
        try {
            reply = PosMessage.unpack(body);
        } catch (RuntimeException e) {
            log.warn("unparseable upstream reply dropped: {}", e.toString());
            return;
        }
        String mti = reply.mti();
        String requestMti = mti.substring(0, 2) + (char) (mti.charAt(2) - 1) + mti.charAt(3);
        Pending p = pending.remove(key(reply.field(41), reply.field(11), requestMti));
        if (p == null) {
            log.info("late or unmatched upstream reply {} dropped", mti);
            return;
        }
        vertx.cancelTimer(p.timer);
        p.context.runOnContext(v -> p.promise.tryComplete(reply));
    }

    private static String key(String tid, String stan, String mti) {
        return tid + '|' + stan + '|' + mti;
    }

    public Future<Void> close() {
        closed = true;
        List<NetSocket> sockets;
        synchronized (up) {
            sockets = new ArrayList<>(up);
        }
        List<Future<Void>> all = new ArrayList<>();
        for (NetSocket s : sockets) all.add(s.close());
        return Future.join(all).transform(ar -> client.close());
    }
}
