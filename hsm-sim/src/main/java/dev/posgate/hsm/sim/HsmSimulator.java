package dev.posgate.hsm.sim;

import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.LengthFrameDecoder;
import java.util.Arrays;

import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.command.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The software HSM on TCP: payShield host-command framing ({@code [2-byte length][header][command]}),
 * the header echoed back unchanged, pipelining (replies go out in completion order, so clients
 * must match them by header), a maximum frame size (a longer frame closes the connection without
 * being buffered). TDES commands run inline on the event loop (microseconds); RSA commands (EI,
 * GI, ZI, ZQ) run on a dedicated worker pool so the event loop never blocks. A zero-length frame
 * is ignored.
 */
public final class HsmSimulator {
    private static final Logger log = LoggerFactory.getLogger(HsmSimulator.class);

    private final Vertx vertx;
    private final HsmSimConfig config;
    private final HsmCommandProcessor processor;
    private final WorkerExecutor worker;
    private final AtomicLong connections = new AtomicLong();
    private NetServer server;

    private HsmSimulator(Vertx vertx, HsmSimConfig config, HsmCommandProcessor processor) {
        this.vertx = vertx;
        this.config = config;
        this.processor = processor;
        this.worker = vertx.createSharedWorkerExecutor("hsm-sim-rsa-" + System.identityHashCode(this),
                config.workerPoolSize(), 60, TimeUnit.SECONDS);
    }

    /** Loads the LMK (off the event loop), then listens. */
    public static Future<HsmSimulator> start(Vertx vertx, HsmSimConfig config) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(config, "config");
        return vertx.executeBlocking(() -> HsmCommandProcessor.create(config))
                .compose(p -> start(vertx, config, p));
    }

    /** Listens with an existing processor (shares its LMK, e.g. with an {@link InProcessHsm}). */
    public static Future<HsmSimulator> start(Vertx vertx, HsmSimConfig config, HsmCommandProcessor processor) {
        HsmSimulator sim = new HsmSimulator(vertx, config, processor);
        NetServerOptions opts = new NetServerOptions().setHost(config.host()).setPort(config.port())
                .setTcpNoDelay(true);
        if (config.mutualTls() != null) {
            // a host without a certificate from the configured trust never gets past the handshake
            opts.setSsl(true).setKeyCertOptions(config.mutualTls().serverKey())
                    .setTrustOptions(config.mutualTls().clientTrust()).setClientAuth(ClientAuth.REQUIRED);
        }
        return vertx.createNetServer(opts)
                .connectHandler(sim::connected)
                .listen()
                .map(s -> {
                    sim.server = s;
                    log.info("HSM simulator listening on {}:{} (header {} chars, max frame {} bytes, LMK check value {}, "
                            + "clear components {}, hosts {}, {})", config.host(), s.actualPort(), config.headerLength(),
                            config.maxFrameBytes(), processor.lmkCheckValue(),
                            config.allowClearComponents() ? "ENABLED" : "disabled",
                            config.mutualTls() != null ? "with a client certificate (mutual TLS)" : "ANYONE (clear TCP)",
                            config.authorisation());
                    return sim;
                })
                .onFailure(e -> sim.worker.close());
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.actualPort();
    }

    public HsmSimConfig config() {
        return config;
    }

    public HsmCommandProcessor processor() {
        return processor;
    }

    /** Connections accepted so far. */
    public long connectionsAccepted() {
        return connections.get();
    }

    public Future<Void> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(() -> worker.close()).onSuccess(v -> log.info("HSM simulator stopped"));
    }

    private void connected(NetSocket socket) {
        connections.incrementAndGet();
        new Connection(socket).start();
    }

    /** One client connection: frame parsing, dispatch, back-pressure. */
    private final class Connection {
        private final NetSocket socket;
        private final int headerLength = config.headerLength();
        private final LengthFrameDecoder frames = new LengthFrameDecoder(config.maxFrameBytes(),
                new LengthFrameDecoder.Handler() {
                    @Override
                    public void onFrame(byte[] body) {
                        Connection.this.onFrame(body);
                    }

                    @Override
                    public void onError(FrameError error) {
                        refuse(error);
                    }
                }).admission((len, first) -> len < headerLength ? FrameError.UNDERSIZED : null);
        private int workerInFlight;
        private boolean pausedForWorkers;
        private boolean pausedForWrites;
        private boolean closed;

        Connection(NetSocket socket) {
            this.socket = socket;
        }

        void start() {
            log.debug("HSM simulator: connection from {}", socket.remoteAddress());
            socket.handler(this::onData);
            socket.closeHandler(v -> closed = true);
            socket.exceptionHandler(e -> log.debug("HSM simulator connection error: {}", e.toString()));
        }

        private void onData(Buffer data) {
            if (closed) {
                return;
            }
            byte[] bytes = data.getBytes();
            frames.feed(bytes, 0, bytes.length);
        }

        /** A request frame: header, then the command; empty frames (keep-alives) are ignored. */
        private void onFrame(byte[] body) {
            if (closed) {
                return;
            }
            dispatch(Arrays.copyOfRange(body, 0, headerLength), Arrays.copyOfRange(body, headerLength, body.length));
        }

        private void refuse(FrameError error) {
            log.warn("HSM simulator: refusing a frame from {} ({}; max {} bytes, header {}); closing",
                    socket.remoteAddress(), error, config.maxFrameBytes(), headerLength);
            close();
        }

        private void dispatch(byte[] header, byte[] command) {
            if (!HsmCommandProcessor.isSlow(command)) {
                reply(header, processor.process(command));
                return;
            }
            workerInFlight++;
            if (workerInFlight >= config.maxPendingPerConnection() && !pausedForWorkers) {
                pausedForWorkers = true;
                socket.pause();
            }
            worker.executeBlocking(() -> processor.process(command), false).onComplete(ar -> {
                workerInFlight--;
                byte[] reply = ar.succeeded() ? ar.result()
                        : Replies.error(Replies.replyCode(new String(command, 0, 2, java.nio.charset.StandardCharsets.ISO_8859_1)),
                                HsmErrors.INTERNAL_ERROR);
                reply(header, reply);
                if (pausedForWorkers && workerInFlight < config.maxPendingPerConnection()) {
                    pausedForWorkers = false;
                    maybeResume();
                }
            });
        }

        private void reply(byte[] header, byte[] reply) {
            if (closed) {
                return;
            }
            if (header.length + reply.length > 0xFFFF) {
                reply = Replies.error(new String(reply, 0, 2, java.nio.charset.StandardCharsets.ISO_8859_1),
                        HsmErrors.DATA_LENGTH);
            }
            Buffer frame = Buffer.buffer(2 + header.length + reply.length)
                    .appendUnsignedShort(header.length + reply.length)
                    .appendBytes(header)
                    .appendBytes(reply);
            socket.write(frame);
            if (socket.writeQueueFull() && !pausedForWrites) {
                pausedForWrites = true;
                socket.pause();
                socket.drainHandler(v -> {
                    pausedForWrites = false;
                    maybeResume();
                });
            }
        }

        private void maybeResume() {
            if (!pausedForWorkers && !pausedForWrites && !closed) {
                socket.resume();
            }
        }

        private void close() {
            closed = true;
            frames.close();
            socket.close();
        }
    }
}
