package dev.posgate.bench.harness;

import dev.posgate.iso8583.frame.FrameEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A closed-loop terminal load: {@code connections} persistent connections, each with one
 * request outstanding at a time (as a POS terminal behaves), on one NIO selector thread.
 * Counts round trips in the measured window after a warm-up and keeps a microsecond
 * latency histogram. Plain NIO on purpose: no framework of the server's in the generator.
 */
public final class EchoLoad {
    /** The echo test 0820 of protocol.md (fields 11, 41, 42, 60.3 = 301), framed. */
    static final byte[] ECHO_FRAME = FrameEncoder.encode(HexFormat.of().parseHex(
            "6000030000" + "603100310301" + "0820" + "0020000000C00010"
            + "000123" + "5445524D30303031" + "383938333130303438393930303031"
            + "0011000000013010"));

    public record Result(String target, int connections, long roundTrips, double seconds, long errors,
            double p50Micros, double p99Micros) {
        public double perSecond() {
            return roundTrips / seconds;
        }
    }

    static final int MAX_MICROS = 2_000_000;

    private final long[] histogram = new long[MAX_MICROS + 1];
    private long measured;
    private long errors;
    private boolean measuring;

    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(4096);
        final ByteBuffer out = ByteBuffer.wrap(ECHO_FRAME.clone());
        long sentAt;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }
    }

    public static Result run(String target, String host, int port, int connections, Duration warmup, Duration measure)
            throws IOException {
        return new EchoLoad().drive(target, host, port, connections, warmup, measure);
    }

    private Result drive(String target, String host, int port, int connections, Duration warmup, Duration measure)
            throws IOException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress(host, port));
                ch.configureBlocking(false);
                Conn c = new Conn(ch);
                ch.register(selector, SelectionKey.OP_READ, c);
                send(c, selector);
            }
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + measure.toNanos();
            long now;
            while ((now = System.nanoTime()) < end) {
                if (!measuring && now >= measureFrom) measuring = true;
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    Conn c = (Conn) k.attachment();
                    try {
                        if (k.isValid() && k.isWritable()) send(c, selector);
                        if (k.isValid() && k.isReadable()) read(c, selector);
                    } catch (IOException e) {
                        errors++;
                        k.cancel();
                        c.ch.close();
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey k : selector.keys()) k.channel().close();
        }
        return new Result(target, connections, measured, measure.toNanos() / 1e9, errors, percentile(0.50), percentile(0.99));
    }

    private void send(Conn c, Selector selector) throws IOException {
        if (c.out.position() == 0) c.sentAt = System.nanoTime();
        c.ch.write(c.out);
        SelectionKey key = c.ch.keyFor(selector);
        if (c.out.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else {
            c.out.rewind();
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void read(Conn c, Selector selector) throws IOException {
        if (c.ch.read(c.in) < 0) throw new IOException("closed by server");
        c.in.flip();
        while (c.in.remaining() >= 2) {
            int len = ((c.in.get(c.in.position()) & 0xFF) << 8) | (c.in.get(c.in.position() + 1) & 0xFF);
            if (c.in.remaining() < 2 + len) break;
            c.in.position(c.in.position() + 2 + len);
            if (measuring) {
                long micros = (System.nanoTime() - c.sentAt) / 1000;
                histogram[(int) Math.min(micros, MAX_MICROS)]++;
                measured++;
            }
            send(c, selector);
        }
        c.in.compact();
    }

    private double percentile(double p) {
        return percentile(histogram, measured, p);
    }

    /** The {@code p} quantile in µs of {@code count} round trips counted per µs in {@code histogram}. */
    static double percentile(long[] histogram, long count, double p) {
        if (count == 0) return Double.NaN;
        long rank = (long) Math.ceil(p * count);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) return i;
        }
        return histogram.length - 1;
    }

    /** {@code EchoLoad host port connections warmupSeconds measureSeconds} */
    public static void main(String[] args) throws IOException {
        Result r = run("target", args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Duration.ofSeconds(Long.parseLong(args[3])), Duration.ofSeconds(Long.parseLong(args[4])));
        System.out.printf("%d round trips in %.1f s = %.0f/s, p50 %.0f µs, p99 %.0f µs, errors %d%n",
                r.roundTrips(), r.seconds(), r.perSecond(), r.p50Micros(), r.p99Micros(), r.errors());
    }
}
