package dev.posgate.devtools;

import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the raw framed echo server that benchmarks compare the gateway with (docs/benchmarks.md). */
@Command(name = "bench-echo-server", mixinStandardHelpOptions = true,
        description = "Run the benchmark baseline: a plain Vert.x server with the gateway's framing that echoes every frame.")
final class BenchEchoServerCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "9583", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--instances", defaultValue = "0", description = "Event-loop instances; 0 = one per core, like the gateway.")
    int instances;

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        int n = instances == 0 ? Runtime.getRuntime().availableProcessors() : instances;
        RawEchoServer.deploy(vertx, port, n).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        spec.commandLine().getOut().printf("posgate ready: raw echo on port %d (%d instances)%n", port, n);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
