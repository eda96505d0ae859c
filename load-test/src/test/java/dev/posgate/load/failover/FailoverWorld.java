package dev.posgate.load.failover;

import dev.posgate.bench.harness.ServerProcess;
import dev.posgate.load.gatling.AdminClient;
import dev.posgate.load.gatling.GatewayUnderTest;
import dev.posgate.load.gatling.SideProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The world of the failover run, each part a real process on loopback: one PostgreSQL (embedded
 * in this JVM) shared by both gateways through {@code db.url}; one software HSM process
 * ({@code hsm-sim --dev}) that both gateways and the host simulator use, so a key stored by one
 * node is usable by the other; the upstream host simulator ({@code posgate upstream-sim}, writing
 * its ledger on exit); two gateway processes; HAProxy in front of their listeners.
 */
final class FailoverWorld implements AutoCloseable {
    private static final List<String> GATEWAY_JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC");
    private static final List<String> SIDE_JVM = List.of("-Xms64m", "-Xmx192m", "-XX:+UseSerialGC");

    /** One gateway process and its ports. */
    record Node(String name, int listenerPort, int adminPort, ServerProcess process, AdminClient admin) {}

    private final Path work;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private SideProcess host;
    private Path ledger;
    private int frontendPort;
    private boolean closed;

    private FailoverWorld(Path work) {
        this.work = work;
    }

    /** Starts everything and registers the {@code terminals} (TID → SN) as TMK terminals, TMK from the ceremony. */
    static FailoverWorld start(Path haproxy, Path work, Map<String, String> terminals, FailoverSettings settings)
            throws Exception {
        FailoverWorld world = new FailoverWorld(work);
        // Processes outlive an interrupted run otherwise (Ctrl-C on the harness).
        Runtime.getRuntime().addShutdownHook(new Thread(world::close, "stop-failover-world"));
        try {
            world.startAll(haproxy, terminals, settings);
            return world;
        } catch (Exception | Error e) {
            world.close();
            throw e;
        }
    }

    private void startAll(Path haproxy, Map<String, String> terminals, FailoverSettings settings) throws Exception {
        Files.createDirectories(work);
        Path jar = GatewayUnderTest.gatewayJar();
        postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "60").start();
        started.add(postgres);

        int hsmPort = GatewayUnderTest.freePort();
        SideProcess hsm = SideProcess.start(jar, "dev.posgate.hsm.sim.HsmSimMain", SIDE_JVM,
                List.of("--port", String.valueOf(hsmPort), "--lmk-file", work.resolve("lmk.hex").toString(), "--dev",
                        "--allow-clear-components"),
                hsmPort, work.resolve("hsm.log"));
        started.add(hsm);

        int hostPort = GatewayUnderTest.freePort();
        String token = UUID.randomUUID().toString();
        // gateway-1 first: it runs the migrations and creates the KMS identities. gateway-2 starts
        // while the zone keys, the host simulator and the terminals are set up through gateway-1.
        Node first = startNode(jar, 1, hsmPort, hostPort, token);
        started.add(first.process());
        nodes.add(first);
        CompletableFuture<Node> second = CompletableFuture.supplyAsync(() -> {
            try {
                return startNode(jar, 2, hsmPort, hostPort, token);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        try {
            String[] zone = nodes.get(0).admin().zoneKeys();
            ledger = work.resolve("host-ledger.txt");
            // A directory reused from an earlier run (the test's) must not offer that run's ledger.
            Files.deleteIfExists(ledger);
            host = SideProcess.start(jar, "dev.posgate.devtools.DevMain", SIDE_JVM,
                    List.of("upstream-sim", "--port", String.valueOf(hostPort), "--hsm", "127.0.0.1:" + hsmPort,
                            "--zpk", zone[0], "--zak", zone[1], "--latency-ms", String.valueOf(settings.hostLatencyMs()),
                            "--ledger", ledger.toString()),
                    hostPort, work.resolve("upstream-sim.log"));
            started.add(host);
            terminals.forEach((tid, sn) -> nodes.get(0).admin().registerTmkTerminal(tid, sn));
        } finally {
            // Joined even on failure, so that close() stops it.
            Node node = second.join();
            started.add(node.process());
            nodes.add(node);
        }

        frontendPort = GatewayUnderTest.freePort();
        List<HaproxyProcess.Backend> backends = nodes.stream()
                .map(n -> new HaproxyProcess.Backend(n.name(), n.listenerPort(), n.adminPort())).toList();
        started.add(HaproxyProcess.start(haproxy, work, frontendPort, backends, settings.redispatch()));
        // Both nodes' upstream links retry every second; HAProxy marks servers up after its first check.
        Thread.sleep(2000);
    }

    private Node startNode(Path jar, int i, int hsmPort, int hostPort, String token) throws IOException, InterruptedException {
        int listener = GatewayUnderTest.freePort();
        int admin = GatewayUnderTest.freePort();
        String pg = "postgresql://%s@localhost:" + postgres.getPort() + "/postgres";
        Map<String, String> env = new HashMap<>();
        env.put("POSGATE_DATA_DIR", work.resolve("gateway-" + i).toString());
        // The KMS identities in the database are signed by this CA: every node must hold the same one.
        env.put("POSGATE_KMS_CA_DIR", work.resolve("ca").toString());
        env.put("POSGATE_LISTENER_HOST", "127.0.0.1");
        env.put("POSGATE_LISTENER_PORT", String.valueOf(listener));
        env.put("POSGATE_LISTENER_INSTANCES", "1");
        env.put("POSGATE_ADMIN_PORT", String.valueOf(admin));
        env.put("POSGATE_ADMIN_TOKEN", token);
        env.put("POSGATE_DB_URL", pg.formatted("posgate_app"));
        env.put("POSGATE_DB_MIGRATION_URL", pg.formatted("postgres"));
        env.put("POSGATE_DB_POOL_SIZE", "4");
        env.put("POSGATE_HSM_HOSTS", "127.0.0.1:" + hsmPort);
        env.put("POSGATE_HSM_CONNECTIONS_PER_HOST", "2");
        // The first start generates the KMS RSA identities (EI): seconds on a busy 2-core machine.
        // KMS is not exercised here, so they are kept short.
        env.put("POSGATE_HSM_TIMEOUT_MS", "10000");
        env.put("POSGATE_KMS_RSA_BITS", "1024");
        env.put("POSGATE_UPSTREAM_HOST", "127.0.0.1:" + hostPort);
        env.put("POSGATE_UPSTREAM_CONNECTIONS", "2");
        // The host answers in host-latency-ms or never (amounts ending in 999): 2 s is ample.
        env.put("POSGATE_UPSTREAM_TIMEOUT_MS", "2000");
        // Queued reversals are retried every second, so the queue drains quickly at the end.
        env.put("POSGATE_UPSTREAM_REVERSAL_RETRY_SECONDS", "1");
        env.put("POSGATE_POSP_TMK_CEREMONY_ENABLED", "true");
        env.put("POSGATE_CONNECTIONS_MAX_PER_IP", "20000");
        env.put("POSGATE_LOG_LEVEL", "WARN");
        env.put("POSGATE_SHUTDOWN_DRAIN_SECONDS", "1");
        ServerProcess p = ServerProcess.start(jar, GATEWAY_JVM, List.of("serve"), env, work.resolve("gateway-" + i + ".log"));
        return new Node("gateway-" + i, listener, admin, p, new AdminClient(admin, token));
    }

    int frontendPort() {
        return frontendPort;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** posgate_connections_active of a node (-1 when it does not answer). */
    static long activeConnections(Node node) {
        Matcher m = Pattern.compile("(?m)^posgate_connections_active(?:\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(node.admin().metrics());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    /** A JDBC connection to the shared database as its owner. */
    Connection jdbc() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /**
     * Stops the host simulator (SIGTERM, so it writes its ledger) and reads the ledger:
     * "tid:batch:stan" → amount of every approved purchase not reversed.
     */
    Map<String, Long> stopHostAndReadLedger() throws IOException {
        host.close();
        Map<String, Long> entries = new HashMap<>();
        for (String line : Files.readAllLines(ledger)) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] parts = line.split(" ");
            entries.put(parts[0], Long.parseLong(parts[1]));
        }
        return entries;
    }

    /** The first line of the host's ledger: its own counts. */
    String hostCounts() throws IOException {
        return Files.readAllLines(ledger).get(0);
    }

    /** Stops in reverse order of start; gateways with SIGTERM unless already dead. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable c = started.get(i);
            try {
                if (c instanceof ServerProcess p && !p.isAlive()) continue;
                c.close();
            } catch (Exception e) {
                System.err.println("failover world: stopping " + c + ": " + e);
            }
        }
    }
}
