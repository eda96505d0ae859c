package dev.posgate.bench.harness;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;

/**
 * A closed-loop echo load with one blocking thread per terminal, over any {@link SocketFactory}:
 * the same generator drives the plain and the TLS listener, so their ratio is the cost of TLS
 * and not a difference of generators. {@link Mode#PERSISTENT} keeps one connection per terminal
 * (echo after echo); {@link Mode#PER_TRANSACTION} connects, echoes once and closes, as dial-up and
 * many GPRS terminals do, so with TLS it measures a full handshake per transaction.
 * Bounded: at most {@link #MAX_CONNECTIONS} threads; every read has a timeout.
 */
public final class BlockingEchoLoad {
    public enum Mode { PERSISTENT, PER_TRANSACTION }

    static final int MAX_CONNECTIONS = 500;
    private static final int BUCKET_MICROS = 10;
    private static final int BUCKETS = 200_001; // up to 2 s

    private final AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
    private final AtomicLong measured = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean measuring;
    private volatile boolean stopping;

    public static EchoLoad.Result run(String target, SocketFactory sockets, Mode mode, String host, int port,
            int connections, Duration warmup, Duration measure) throws InterruptedException {
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be 1.." + MAX_CONNECTIONS);
        }
        return new BlockingEchoLoad().drive(target, sockets, mode, host, port, connections, warmup, measure);
    }

    private EchoLoad.Result drive(String target, SocketFactory sockets, Mode mode, String host, int port,
            int connections, Duration warmup, Duration measure) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> terminal(sockets, mode, host, port), "echo-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        Thread.sleep(warmup.toMillis());
        measuring = true;
        Thread.sleep(measure.toMillis());
        measuring = false;
        stopping = true;
        for (Thread t : threads) t.join(5000);
        return new EchoLoad.Result(target, connections, measured.get(), measure.toNanos() / 1e9, errors.get(),
                percentile(0.50), percentile(0.99));
    }

    private void terminal(SocketFactory sockets, Mode mode, String host, int port) {
        byte[] frame = EchoLoad.ECHO_FRAME.clone();
        while (!stopping) {
            try (Socket s = sockets.createSocket(host, port)) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(5000);
                long connectStarted = System.nanoTime();
                if (s instanceof SSLSocket ssl) ssl.startHandshake();
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                do {
                    long sent = mode == Mode.PER_TRANSACTION ? connectStarted : System.nanoTime();
                    out.write(frame);
                    out.flush();
                    byte[] answer = new byte[in.readUnsignedShort()];
                    in.readFully(answer);
                    if (measuring) record(System.nanoTime() - sent);
                } while (mode == Mode.PERSISTENT && !stopping);
            } catch (IOException e) {
                if (stopping) return;
                if (errors.incrementAndGet() == 1) System.err.println("first error: " + e);
                pause(); // no busy loop against a refusing server
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(long nanos) {
        measured.incrementAndGet();
        histogram.incrementAndGet((int) Math.min(nanos / 1000 / BUCKET_MICROS, BUCKETS - 1));
    }

    private double percentile(double p) {
        long n = measured.get();
        if (n == 0) return Double.NaN;
        long rank = (long) Math.ceil(p * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += histogram.get(i);
            if (seen >= rank) return (double) i * BUCKET_MICROS;
        }
        return (double) (BUCKETS - 1) * BUCKET_MICROS;
    }
}
