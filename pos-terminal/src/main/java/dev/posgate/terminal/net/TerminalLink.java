package dev.posgate.terminal.net;

import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;

/**
 * A terminal's connection to the gateway: length-prefixed frames, one request outstanding at
 * a time (as a POS terminal works), each answered by the next frame that arrives. Keep-alives
 * from the peer are ignored. Confined to the Vert.x context it was created on.
 */
public final class TerminalLink {
    private final Vertx vertx;
    /** Held for the link's lifetime: Vert.x closes an unreachable client, and its connections, on GC. */
    private final NetClient client;
    private final NetSocket socket;
    private final Duration timeout;
    private final FrameDecoder decoder;
    private Promise<byte[]> pending;
    private long timer = -1;
    private boolean closed;

    private TerminalLink(Vertx vertx, NetClient client, NetSocket socket, Duration timeout) {
        this.vertx = vertx;
        this.client = client;
        this.socket = socket;
        this.timeout = timeout;
        this.decoder = new FrameDecoder(FrameLimits.defaults(), new FrameSink() {
            @Override
            public void onFrame(Family family, byte[] body) {
                complete(body);
            }

            @Override
            public void onError(FrameError error) {
                fail(new IllegalStateException("gateway sent an invalid frame: " + error));
                socket.close();
            }
        });
        socket.handler(b -> {
            byte[] bytes = b.getBytes();
            decoder.feed(bytes, 0, bytes.length);
        });
        socket.closeHandler(v -> {
            closed = true;
            fail(new IllegalStateException("connection closed by the gateway"));
        });
    }

    public static Future<TerminalLink> connect(Vertx vertx, String host, int port, Duration timeout) {
        return connect(vertx, host, port, timeout, null);
    }

    /** Connects over TLS when {@code tls} is given (the gateway's TLS listener), else in plain TCP. */
    public static Future<TerminalLink> connect(Vertx vertx, String host, int port, Duration timeout, TerminalTls tls) {
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setTcpNoDelay(true);
        NetClient client = vertx.createNetClient(tls == null ? options : tls.apply(options));
        return client.connect(port, host)
                .map(s -> new TerminalLink(vertx, client, s, timeout))
                .onFailure(e -> client.close());
    }

    /** Sends one frame body and completes with the body of the answer. */
    public Future<byte[]> request(byte[] body) {
        if (closed) return Future.failedFuture(new IllegalStateException("connection closed"));
        if (pending != null) return Future.failedFuture(new IllegalStateException("a request is already outstanding"));
        pending = Promise.promise();
        Future<byte[]> answer = pending.future();
        timer = vertx.setTimer(timeout.toMillis(), id -> {
            timer = -1;
            fail(new IllegalStateException("no answer within " + timeout.toMillis() + " ms"));
        });
        socket.write(Buffer.buffer(FrameEncoder.encode(body)));
        return answer;
    }

    /** Writes bytes as they are, for tests that need to misbehave on purpose. */
    public Future<Void> writeRaw(byte[] bytes) {
        return socket.write(Buffer.buffer(bytes));
    }

    public boolean isClosed() {
        return closed;
    }

    public Future<Void> close() {
        return socket.close().eventually(client::close);
    }

    private void complete(byte[] body) {
        Promise<byte[]> p = pending;
        pending = null;
        cancelTimer();
        if (p != null) p.complete(body);
    }

    private void fail(Throwable t) {
        Promise<byte[]> p = pending;
        pending = null;
        cancelTimer();
        if (p != null) p.tryFail(t);
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
