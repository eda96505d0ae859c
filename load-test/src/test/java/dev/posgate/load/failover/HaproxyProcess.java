package dev.posgate.load.failover;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (the Debian package's binary) in front of the gateway nodes, with deploy/haproxy's
 * settings: TCP mode, leastconn, health from each node's admin {@code /ready} (inter 2 s, fall 2,
 * rise 2, sessions shut on a node marked down). One addition (unless turned off), {@code option redispatch}: the
 * last connect retry goes to another server, so a terminal reconnecting after a node died is not
 * sent back to the dead node (leastconn prefers it: it has no connections) until the health
 * check marks it down.
 */
final class HaproxyProcess implements AutoCloseable {
    /** A gateway behind HAProxy: terminal listener and admin port, both on loopback. */
    record Backend(String name, int listenerPort, int adminPort) {}

    private final Process process;

    private HaproxyProcess(Process process) {
        this.process = process;
    }

    /** The haproxy binary on PATH or in /usr/sbin, if installed. */
    static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "haproxy");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    static String config(int frontendPort, List<Backend> backends, boolean redispatch) {
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 4000
                    log stdout format raw local0

                defaults
                    mode tcp
                    log global
                    option tcplog
                    timeout connect 5s
                    timeout client 330s
                    timeout server 330s
                    retries 2
                """);
        if (redispatch) cfg.append("    option redispatch\n");
        cfg.append("\nfrontend terminals\n");
        cfg.append("    bind 127.0.0.1:").append(frontendPort).append('\n');
        cfg.append("""
                    default_backend posgate

                backend posgate
                    balance leastconn
                    option httpchk GET /ready
                    http-check expect status 200
                    default-server inter 2s fall 2 rise 2 on-marked-down shutdown-sessions
                """);
        for (Backend b : backends) {
            cfg.append("    server ").append(b.name()).append(" 127.0.0.1:").append(b.listenerPort())
                    .append(" check port ").append(b.adminPort()).append('\n');
        }
        return cfg.toString();
    }

    /** Writes the configuration into {@code dir} and starts HAProxy in the foreground; ready once it listens. */
    static HaproxyProcess start(Path binary, Path dir, int frontendPort, List<Backend> backends, boolean redispatch)
            throws IOException, InterruptedException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config(frontendPort, backends, redispatch));
        Process p = new ProcessBuilder(binary.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException("haproxy exited with " + p.exitValue() + "; see " + dir.resolve("haproxy.log"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", frontendPort), 500);
                return new HaproxyProcess(p);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IOException("haproxy did not listen on " + frontendPort + " within 30 s");
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
