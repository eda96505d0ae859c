package dev.posgate.hsm.sim;

import dev.posgate.hsm.transport.HsmTransport;
import dev.posgate.hsm.transport.HsmUnavailableException;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.LengthFrameDecoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only {@link HsmTransport}: one TCP connection, decimal correlation headers, replies
 * matched by header (so pipelined, out-of-order replies work). No timeouts, no reconnect.
 */
final class SingleConnectionTransport implements HsmTransport {
    /** Held for the connection's life: an unreferenced NetClient is closed by Vert.x's cleaner, its socket with it. */
    private final NetClient client;
    private final NetSocket socket;
    private final Context context;
    private final int headerLength;
    private final long modulus;
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, Promise<byte[]>> inflight = new ConcurrentHashMap<>();
    private final List<String> unmatched = new CopyOnWriteArrayList<>();
    private final LengthFrameDecoder frames;
    private volatile boolean closed;

    private SingleConnectionTransport(NetClient client, NetSocket socket, Context context, int headerLength) {
        this.client = client;
        this.socket = socket;
        this.context = context;
        this.headerLength = headerLength;
        this.modulus = (long) Math.pow(10, Math.min(headerLength, 12));
        this.frames = new LengthFrameDecoder(FrameLimits.MAX_LEN, new LengthFrameDecoder.Handler() {
            @Override
            public void onFrame(byte[] body) {
                onReply(body);
            }

            @Override
            public void onError(FrameError error) {
                socket.close();
            }
        }).admission((len, first) -> len < headerLength ? FrameError.UNDERSIZED : null);
        socket.handler(this::onData);
        socket.closeHandler(v -> failAll("connection closed (replies matching nothing: " + unmatched + ")"));
    }

    static Future<SingleConnectionTransport> connect(Vertx vertx, int port, int headerLength) {
        NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
        return client.connect(port, "127.0.0.1")
                .map(s -> new SingleConnectionTransport(client, s, Vertx.currentContext(), headerLength));
    }

    boolean isClosed() {
        return closed;
    }

    private String nextHeader() {
        String s = Long.toString(counter.getAndIncrement() % modulus);
        StringBuilder sb = new StringBuilder(headerLength);
        for (int i = s.length(); i < headerLength; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }

    @Override
    public Future<byte[]> execute(byte[] command) {
        if (closed) {
            return Future.failedFuture(new HsmUnavailableException("closed"));
        }
        String header = nextHeader();
        Promise<byte[]> p = Promise.promise();
        inflight.put(header, p);
        write(Buffer.buffer().appendUnsignedShort(headerLength + command.length)
                .appendString(header, "US-ASCII").appendBytes(command));
        return p.future();
    }

    /** Sends a raw frame body (header + command) without correlation; for malformed-frame tests. */
    void writeRaw(Buffer frame) {
        write(frame);
    }

    /**
     * Every write runs on the socket's own context, in call order, so that raw segments (a frame
     * split on purpose) and correlated commands from the test thread interleave exactly as written.
     */
    private void write(Buffer bytes) {
        if (Vertx.currentContext() == context) {
            socket.write(bytes);
        } else {
            context.runOnContext(v -> socket.write(bytes));
        }
    }

    private void onData(Buffer data) {
        byte[] bytes = data.getBytes();
        frames.feed(bytes, 0, bytes.length);
    }

    private void onReply(byte[] body) {
        String header = new String(body, 0, headerLength, StandardCharsets.US_ASCII);
        byte[] reply = Arrays.copyOfRange(body, headerLength, body.length);
        Promise<byte[]> p = inflight.remove(header);
        if (p != null) {
            p.complete(reply);
        } else {
            unmatched.add(header);
        }
    }

    /** Headers of replies that matched no {@link #execute} (answers to {@link #writeRaw} frames), in order. */
    List<String> unmatchedReplies() {
        return unmatched;
    }

    private void failAll(String why) {
        closed = true;
        inflight.values().forEach(p -> p.tryFail(new HsmUnavailableException(why)));
        inflight.clear();
    }

    @Override
    public Future<Void> close() {
        closed = true;
        return socket.close().eventually(client::close);
    }
}
