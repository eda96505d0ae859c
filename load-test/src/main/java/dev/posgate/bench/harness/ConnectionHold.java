package dev.posgate.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Holds {@code connections} idle terminal connections (default 10,000) to a gateway for
 * {@code holdSeconds} (default 120), each sending an echo test every {@code echoSeconds}
 * (default 30, staggered), and reports the gateway's live heap and RSS per connection.
 *
 * <p>The gateway is its own JVM (started here with embedded defaults on loopback); this process
 * is the terminals. Each side holds one socket per connection, so both stay far below the
 * 20,000 file-descriptor limit per process.
 *
 * <pre>java -cp load-test/target/benchmarks.jar dev.posgate.bench.harness.ConnectionHold \
 *     dev-tools/target/posgate-dev.jar [connections=10000] [holdSeconds=120] [echoSeconds=30]</pre>
 */
public final class ConnectionHold {
    private static final long MIB = 1024 * 1024;
    private static final int WARMUP_CONNECTIONS = 50;

    private final List<Terminal> terminals = new ArrayList<>();
    private long echoesSent;
    private long echoesAnswered;
    private long errors;

    /** One idle terminal: its socket and a small read buffer (responses are ~60 bytes). */
    private static final class Terminal {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(512);
        boolean waiting;

        Terminal(SocketChannel ch) {
            this.ch = ch;
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Duration hold = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 120);
        Duration echoEvery = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 30);
        Path work = Files.createTempDirectory("posgate-hold-");
        int port = EchoComparison.freePort();
        try (ServerProcess gateway = ServerProcess.start(jar, EchoComparison.SERVER_JVM, List.of("serve"),
                EchoComparison.gatewayEnv(work, port), work.resolve("gateway.log"))) {
            // Warm the gateway's echo path first, so class loading and JIT are not charged to connections.
            EchoLoad.run("warm-up", "127.0.0.1", port, WARMUP_CONNECTIONS, Duration.ofSeconds(1), Duration.ofSeconds(2));
            ServerMemory.Sample before = ServerMemory.sample(gateway.pid());
            new ConnectionHold().run(gateway, port, connections, hold, echoEvery, before);
        }
    }

    private void run(ServerProcess gateway, int port, int connections, Duration hold, Duration echoEvery,
            ServerMemory.Sample before) throws Exception {
        try (Selector selector = Selector.open()) {
            long t0 = System.nanoTime();
            open(selector, port, connections);
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("opened %d connections in %.1f s (%.0f/s)%n", terminals.size(), openSeconds,
                    terminals.size() / openSeconds);
            // every terminal proves its session with one echo before the first measurement
            for (Terminal t : terminals) send(t);
            pump(selector, Duration.ofSeconds(20), () -> echoesAnswered >= echoesSent);
            ServerMemory.Sample held = ServerMemory.sample(gateway.pid());
            report("after connect + 1 echo each", before, held);
            holdFor(selector, hold, echoEvery);
            ServerMemory.Sample end = ServerMemory.sample(gateway.pid());
            report("after holding " + hold.toSeconds() + " s", before, end);
            System.out.printf("echoes sent %d, answered %d, errors %d, connections still open %d%n", echoesSent,
                    echoesAnswered, errors, terminals.stream().filter(t -> t.ch.isOpen()).count());
            for (Terminal t : terminals) t.ch.close();
        }
    }

    // Blocking connects, one after the other: loopback connects are fast, and this never floods
    // the gateway's accept backlog.
    private void open(Selector selector, int port, int connections) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(address);
                ch.configureBlocking(false);
                Terminal t = new Terminal(ch);
                ch.register(selector, SelectionKey.OP_READ, t);
                terminals.add(t);
            } catch (IOException e) {
                errors++;
                ch.close();
                if (errors > 100) throw new IOException("too many connect failures after " + terminals.size(), e);
            }
        }
    }

    /** Holds the connections, each echoing once per {@code echoEvery}, spread evenly over the period. */
    private void holdFor(Selector selector, Duration hold, Duration echoEvery) throws IOException {
        long start = System.nanoTime();
        long end = start + hold.toNanos();
        long periodNanos = echoEvery.toNanos();
        int next = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            // how many echoes should have been sent by now, at terminals.size() per period
            long due = (now - start) * terminals.size() / periodNanos;
            while (next < due && !terminals.isEmpty()) {
                send(terminals.get(next % terminals.size()));
                next++;
            }
            selectOnce(selector, 50);
        }
    }

    private void pump(Selector selector, Duration max, BooleanSupplier done) throws IOException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < end) selectOnce(selector, 50);
    }

    private void selectOnce(Selector selector, long millis) throws IOException {
        selector.select(millis);
        for (SelectionKey k : selector.selectedKeys()) {
            Terminal t = (Terminal) k.attachment();
            try {
                if (k.isValid() && k.isReadable()) read(t);
            } catch (IOException e) {
                errors++;
                k.cancel();
                t.ch.close();
            }
        }
        selector.selectedKeys().clear();
    }

    private void send(Terminal t) {
        if (t.waiting || !t.ch.isOpen()) return; // one outstanding request per terminal
        try {
            ByteBuffer out = ByteBuffer.wrap(EchoLoad.ECHO_FRAME);
            t.ch.write(out); // ~60 bytes into an empty socket buffer: written whole
            t.waiting = true;
            echoesSent++;
        } catch (IOException e) {
            errors++;
        }
    }

    private void read(Terminal t) throws IOException {
        if (t.ch.read(t.in) < 0) throw new IOException("closed by gateway");
        t.in.flip();
        while (t.in.remaining() >= 2) {
            int len = ((t.in.get(t.in.position()) & 0xFF) << 8) | (t.in.get(t.in.position() + 1) & 0xFF);
            if (t.in.remaining() < 2 + len) break;
            t.in.position(t.in.position() + 2 + len);
            t.waiting = false;
            echoesAnswered++;
        }
        t.in.compact();
    }

    private void report(String when, ServerMemory.Sample before, ServerMemory.Sample after) {
        int n = (int) terminals.stream().filter(t -> t.ch.isOpen()).count();
        double heapPer = (after.liveHeap() - before.liveHeap()) / (double) n;
        double rssPer = (after.rss() - before.rss()) / (double) n;
        System.out.printf("%s: %d connections | live heap %d -> %d MiB, %.2f KiB per connection (target < 10) "
                + "| RSS %d -> %d MiB, %.2f KiB per connection%n", when, n, before.liveHeap() / MIB,
                after.liveHeap() / MIB, heapPer / 1024, before.rss() / MIB, after.rss() / MIB, rssPer / 1024);
    }
}
