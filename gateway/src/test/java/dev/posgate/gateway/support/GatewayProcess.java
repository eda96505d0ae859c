package dev.posgate.gateway.support;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.spi.SessionThreadCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as a separate OS process ({@code posgate serve -c <file>} on the test classpath), so
 * that a test can really SIGKILL it: no shutdown hook, no drain, sockets dropped by the kernel.
 * Output goes to a log file (appended across restarts); start-up waits for the "posgate ready" line.
 * The session thread check is forwarded ({@code -Dposgate.session.threadCheck}): a violation in the
 * process (its one log line) fails {@link #kill()} and {@link #close()}.
 */
public final class GatewayProcess implements AutoCloseable {
    /** Exit status of a JVM ended by SIGKILL (128 + 9), as {@link Process#exitValue()} reports it. */
    public static final int SIGKILL_EXIT = 137;

    private final Process process;
    private final Duration startup;
    /** The process's session thread violation line, once it logged one. */
    private final CompletableFuture<String> violation;

    private GatewayProcess(Process process, Duration startup, CompletableFuture<String> violation) {
        this.process = process;
        this.startup = startup;
        this.violation = violation;
    }

    /** Writes {@code settings} to {@code dir/gateway.properties}, starts the gateway and waits until it is ready. */
    public static GatewayProcess start(Map<Setting, Object> settings, Path dir) throws IOException {
        return start(settings, dir, List.of());
    }

    /** As {@link #start(Map, Path)}, the JVM run under {@code launcher} (e.g. {@code prlimit --nofile=1024:1024}). */
    public static GatewayProcess start(Map<Setting, Object> settings, Path dir, List<String> launcher) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("gateway.properties");
        StringBuilder props = new StringBuilder();
        settings.forEach((k, v) -> props.append(k.key()).append('=').append(v.toString().replace("\\", "\\\\")).append('\n'));
        Files.writeString(config, props);
        Path log = dir.resolve("gateway.log");
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC",
                "-D" + SessionThreadCheck.PROPERTY + "=" + System.getProperty(SessionThreadCheck.PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"), "dev.posgate.gateway.cli.Main", "serve", "-c", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("POSGATE_")); // the file is the whole configuration
        long started = System.nanoTime();
        Process p = pb.start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        CompletableFuture<String> violation = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(p, log, ready, violation), "gateway-output-" + p.pid());
        pump.setDaemon(true);
        pump.start();
        boolean ok;
        try {
            ok = ready.get(150, TimeUnit.SECONDS);
        } catch (Exception e) {
            ok = false;
        }
        if (!ok) {
            p.destroyForcibly();
            throw new IOException("gateway did not become ready; see " + log.toAbsolutePath());
        }
        return new GatewayProcess(p, Duration.ofNanos(System.nanoTime() - started), violation);
    }

    private static void pump(Process p, Path log, CompletableFuture<Boolean> ready, CompletableFuture<String> violation) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                var w = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write("---- gateway process " + p.pid() + " ----");
            w.newLine();
            String line;
            while ((line = r.readLine()) != null) {
                w.write(line);
                w.newLine();
                w.flush();
                if (line.startsWith("posgate ready")) ready.complete(true);
                if (line.contains(SessionThreadCheck.LOG_MARKER)) violation.complete(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
        ready.complete(false);
    }

    /** A port free now, to be fixed in the configuration so that a restarted gateway listens where the first one did. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From process launch to the ready line (JVM start, migrations, HSM connections, listeners). */
    public Duration startup() {
        return startup;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux); returns the exit status once the process
     * is gone. Fails if the process logged a session thread violation.
     */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("gateway " + pid() + " survived SIGKILL");
        assertNoThreadViolation();
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
        assertNoThreadViolation();
    }

    /** Session code ran off its event loop in the process (the line it logged): a bug, the test fails. */
    private void assertNoThreadViolation() {
        String line = violation.getNow(null);
        if (line != null) throw new AssertionError("gateway " + pid() + " logged a session thread violation: " + line);
    }
}
