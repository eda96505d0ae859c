package dev.posgate.load.failover;

import dev.posgate.testing.Eventually;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (the Debian package's binary) in front of the gateway nodes, running
 * deploy/haproxy/haproxy.cfg (see {@link #config}): TCP mode, leastconn, health from each node's
 * admin {@code /ready} (inter 2 s, fall 2, rise 2, sessions shut on a node marked down), and
 * {@code option redispatch} unless turned off: the last connect retry goes to another server, so
 * a terminal reconnecting after a node died is not sent back to the dead node (leastconn prefers
 * it: it has no connections) until the health check marks it down.
 */
final class HaproxyProcess implements AutoCloseable {
    static final int TEST_MAXCONN = 4000;

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

    /**
     * deploy/haproxy/haproxy.cfg itself, with only what differs on one test machine rewritten:
     * the two binds on loopback ports, the compose stack's two servers replaced by {@code
     * backends}, {@code maxconn} capped at {@value #TEST_MAXCONN} (the deployed 40,000 needs
     * 80,000 file descriptors, more than a test process may raise its limit to), and {@code
     * option redispatch} dropped when {@code redispatch} is false. Fails
     * when the file no longer has those lines, so the failover test never runs a configuration
     * of its own.
     */
    static String config(String deployed, int frontendPort, int statsPort, List<Backend> backends, boolean redispatch) {
        StringBuilder out = new StringBuilder();
        String section = "";
        boolean terminalsBound = false;
        boolean statsBound = false;
        boolean serversWritten = false;
        boolean redispatchSeen = false;
        for (String line : (Iterable<String>) deployed.lines()::iterator) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#") && !Character.isWhitespace(line.charAt(0))) section = t;
            if (t.startsWith("bind ") && section.equals("frontend terminals")) {
                line = "    bind 127.0.0.1:" + frontendPort;
                terminalsBound = true;
            } else if (t.startsWith("bind ") && section.equals("frontend stats")) {
                line = "    bind 127.0.0.1:" + statsPort;
                statsBound = true;
            } else if (t.startsWith("server ") && section.equals("backend posgate")) {
                if (serversWritten) continue;
                serversWritten = true;
                for (Backend b : backends) {
                    out.append("    server ").append(b.name()).append(" 127.0.0.1:").append(b.listenerPort())
                            .append(" check port ").append(b.adminPort()).append('\n');
                }
                continue;
            } else if (t.startsWith("maxconn ")) {
                int deployedMax = Integer.parseInt(t.substring("maxconn ".length()).strip());
                line = line.substring(0, line.indexOf("maxconn")) + "maxconn " + Math.min(deployedMax, TEST_MAXCONN);
            } else if (t.equals("option redispatch")) {
                redispatchSeen = true;
                if (!redispatch) continue;
            }
            out.append(line).append('\n');
        }
        if (!terminalsBound || !statsBound || !serversWritten || !redispatchSeen) {
            throw new IllegalStateException("deploy/haproxy/haproxy.cfg lacks a line the failover test rewrites"
                    + " (terminals bind, stats bind, posgate servers, option redispatch)");
        }
        return out.toString();
    }

    /** deploy/haproxy/haproxy.cfg, from the repository root or from a module directory. */
    static String deployedConfig() throws IOException {
        for (Path p : List.of(Path.of("deploy", "haproxy", "haproxy.cfg"), Path.of("..", "deploy", "haproxy", "haproxy.cfg"))) {
            if (Files.isRegularFile(p)) return Files.readString(p);
        }
        throw new IOException("deploy/haproxy/haproxy.cfg not found from " + Path.of("").toAbsolutePath());
    }

    /** Writes the configuration into {@code dir} and starts HAProxy in the foreground; ready once it listens. */
    static HaproxyProcess start(Path binary, Path dir, int frontendPort, List<Backend> backends, boolean redispatch)
            throws IOException, InterruptedException {
        Path cfg = dir.resolve("haproxy.cfg");
        int statsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            statsPort = free.getLocalPort();
        }
        Files.writeString(cfg, config(deployedConfig(), frontendPort, statsPort, backends, redispatch));
        Process p = new ProcessBuilder(binary.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        try {
            Eventually.until("haproxy" + " listens on " + frontendPort, () -> !p.isAlive() || accepts(frontendPort));
        } catch (AssertionError never) {
            p.destroyForcibly();
            throw new IOException("haproxy did not listen on " + frontendPort, never);
        }
        if (!p.isAlive()) throw new IOException("haproxy exited with " + p.exitValue() + "; see " + dir.resolve("haproxy.log"));
        return new HaproxyProcess(p);
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

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
