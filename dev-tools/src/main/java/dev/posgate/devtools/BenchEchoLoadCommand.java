package dev.posgate.devtools;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A second closed-loop echo generator for the echo benchmark (docs/benchmarks.md), built the way
 * a Vert.x application would talk to the gateway: one event loop, a {@link NetClient}, each
 * connection sending its next frame as soon as the previous answer is complete. The harness's
 * own generator (load-test {@code EchoLoad}) is a single NIO selector loop; issue 19 asks that
 * the gateway/raw ratio hold with "any closed-loop generator", so both are measured.
 *
 * <p>Prints two machine-readable lines: {@code RESULT roundTrips seconds errors} and
 * {@code HISTOGRAM micros:count ...} (the non-empty µs buckets), from which the harness computes
 * its percentiles the same way for both generators.
 */
@Command(name = "bench-echo-load", mixinStandardHelpOptions = true,
        description = "Closed-loop echo load from one Vert.x event loop (benchmark generator).")
final class BenchEchoLoadCommand implements Callable<Integer> {
    private static final int MAX_MICROS = 2_000_000;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", required = true, description = "Port on 127.0.0.1 of the server under test.")
    int port;

    @Option(names = "--connections", defaultValue = "50", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--warmup-seconds", defaultValue = "3", description = "Not measured (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--frame-hex", required = true, description = "The framed request (length prefix included), in hex.")
    String frameHex;

    private final long[] histogram = new long[MAX_MICROS + 1];
    private long measured;
    private long errors;
    private boolean measuring;

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            Buffer frame = Buffer.buffer(HexFormat.of().parseHex(frameHex));
            NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
            List<Future<NetSocket>> opened = new ArrayList<>();
            for (int i = 0; i < connections; i++) opened.add(client.connect(port, "127.0.0.1"));
            List<NetSocket> sockets = Future.all(opened).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)
                    .list();
            CompletableFuture<Void> done = new CompletableFuture<>();
            // everything below runs on the one event loop: the counters need no synchronisation
            vertx.runOnContext(v -> {
                for (NetSocket s : sockets) new Loop(s, frame).send();
                vertx.setTimer(warmupSeconds * 1000L, t -> measuring = true);
                vertx.setTimer((warmupSeconds + seconds) * 1000L, t -> {
                    measuring = false;
                    done.complete(null);
                });
            });
            done.get(warmupSeconds + seconds + 60L, TimeUnit.SECONDS);
            CompletableFuture<Void> read = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                StringBuilder buckets = new StringBuilder("HISTOGRAM");
                for (int micros = 0; micros < histogram.length; micros++) {
                    if (histogram[micros] > 0) buckets.append(' ').append(micros).append(':').append(histogram[micros]);
                }
                spec.commandLine().getOut().printf("RESULT %d %d %d%n%s%n", measured, seconds, errors, buckets);
                spec.commandLine().getOut().flush();
                read.complete(null);
            });
            read.get(10, TimeUnit.SECONDS);
            return 0;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** One connection's closed loop: send, wait for the whole answer, send again. */
    private final class Loop {
        private final NetSocket socket;
        private final Buffer frame;
        private Buffer pending = Buffer.buffer();
        private long sentAt;

        Loop(NetSocket socket, Buffer frame) {
            this.socket = socket;
            this.frame = frame;
            socket.handler(this::received);
            socket.exceptionHandler(e -> errors++);
        }

        void send() {
            sentAt = System.nanoTime();
            socket.write(frame);
        }

        private void received(Buffer b) {
            pending = pending.length() == 0 ? b : pending.appendBuffer(b);
            while (pending.length() >= 2) {
                int len = pending.getUnsignedShort(0);
                if (pending.length() < 2 + len) return;
                pending = pending.length() == 2 + len ? Buffer.buffer() : pending.getBuffer(2 + len, pending.length());
                if (measuring) {
                    histogram[(int) Math.min((System.nanoTime() - sentAt) / 1000, MAX_MICROS)]++;
                    measured++;
                }
                send();
            }
        }
    }

}
