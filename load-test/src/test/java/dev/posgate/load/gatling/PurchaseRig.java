package dev.posgate.load.gatling;

import dev.posgate.bench.harness.ServerProcess;
import dev.posgate.protocol.posp.KeyAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The world of the POSP simulations, each part in its own JVM on free loopback ports:
 * <ol>
 *   <li>a standalone software HSM ({@code hsm-sim --dev}, which writes a fresh LMK file) for the
 *       upstream host simulator;</li>
 *   <li>the gateway jar with its embedded defaults (embedded PostgreSQL, bundled software HSM)
 *       loading that same LMK file, the upstream host set and the TMK key ceremony enabled;</li>
 *   <li>zone keys generated through the admin API, then the host simulator ({@code posgate
 *       upstream-sim}) started with their LMK forms;</li>
 *   <li>{@code terminals} TMK terminals registered and their TMKs formed from the
 *       {@link VirtualTerminal#TMK_COMPONENTS} through the admin API ({@code -Dsm4.share}
 *       of them SM4 terminals, whose TMK the ceremony forms as an SM4 key).</li>
 * </ol>
 * Virtual users take the provisioned terminals in turn with {@link #nextTerminal()}.
 */
final class PurchaseRig implements AutoCloseable {
    private static final List<String> GATEWAY_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC");
    private static final List<String> SIDE_JVM = List.of("-Xms128m", "-Xmx256m", "-XX:+UseSerialGC");

    private final int port;
    private final AdminClient admin;
    private final int terminals;
    private final AtomicInteger handedOut = new AtomicInteger();
    private final Path work;
    private final Path jar;
    private final SideProcess hostHsm;
    private final SideProcess gatewayHsm;
    private final ServerProcess gateway;
    private final SideProcess host;

    private PurchaseRig(int port, AdminClient admin, int terminals, Path work, Path jar, SideProcess hostHsm,
            SideProcess gatewayHsm, ServerProcess gateway, SideProcess host) {
        this.port = port;
        this.work = work;
        this.jar = jar;
        this.gatewayHsm = gatewayHsm;
        this.admin = admin;
        this.terminals = terminals;
        this.hostHsm = hostHsm;
        this.gateway = gateway;
        this.host = host;
    }

    /**
     * {@code gatewayHsmProcess}: the gateway uses a standalone software HSM process (same LMK) instead
     * of its bundled in-process one, so that the HSM's CPU is measured apart from the gateway's.
     */
    static PurchaseRig start(int terminals, boolean gatewayHsmProcess) {
        return start(terminals, gatewayHsmProcess, true);
    }

    /**
     * {@code tmkCeremony} false: the terminals are registered without a TMK, which a remote TMK
     * download (K-flow, {@link KmsFactory}) then provides.
     */
    static PurchaseRig start(int terminals, boolean gatewayHsmProcess, boolean tmkCeremony) {
        return start(terminals, gatewayHsmProcess, tmkCeremony, List.of());
    }

    /** {@code hostRules}: more {@code posgate upstream-sim} options, its rules (e.g. {@code --issuer-script all}). */
    static PurchaseRig start(int terminals, boolean gatewayHsmProcess, boolean tmkCeremony, List<String> hostRules) {
        SideProcess hostHsm = null;
        SideProcess gatewayHsm = null;
        ServerProcess gateway = null;
        SideProcess host = null;
        try {
            Path jar = GatewayUnderTest.gatewayJar();
            Path work = Files.createTempDirectory("posgate-gatling-posp-");
            Path lmk = work.resolve("lmk.hex");
            int hsmPort = GatewayUnderTest.freePort();
            int hostPort = GatewayUnderTest.freePort();
            int port = GatewayUnderTest.freePort();
            int adminPort = GatewayUnderTest.freePort();
            String token = UUID.randomUUID().toString();
            System.out.println("world in " + work + ": host HSM " + hsmPort + ", host " + hostPort + ", gateway " + port);

            hostHsm = SideProcess.start(jar, "dev.posgate.hsm.sim.HsmSimMain", SIDE_JVM,
                    List.of("--port", String.valueOf(hsmPort), "--lmk-file", lmk.toString(), "--dev", "--allow-clear-components"), hsmPort,
                    work.resolve("host-hsm.log"));
            Map<String, String> env = new HashMap<>(Map.of(
                    "POSGATE_DATA_DIR", work.resolve("data").toString(),
                    "POSGATE_LISTENER_HOST", "127.0.0.1",
                    "POSGATE_LISTENER_PORT", String.valueOf(port),
                    "POSGATE_ADMIN_PORT", String.valueOf(adminPort),
                    "POSGATE_ADMIN_TOKEN", token,
                    "POSGATE_HSM_SIM_LMK_FILE", lmk.toString(),
                    "POSGATE_UPSTREAM_HOST", "127.0.0.1:" + hostPort,
                    "POSGATE_POSP_TMK_CEREMONY_ENABLED", "true",
                    // the bundled HSM forms keys from clear components only when told (issue 13 hardening)
                    "POSGATE_HSM_SIM_CLEAR_COMPONENTS", "true",
                    // The default 2 x 32 in flight sheds a burst of 50 sign-ons (2 A0 each) with 96.
                    "POSGATE_HSM_CONNECTIONS_PER_HOST", String.valueOf(LoadSettings.hsmConnections(4))));
            env.put("POSGATE_CONNECTIONS_MAX_PER_IP", "20000");
            // The echo phase sends back to back, far above a real terminal's request rate limit.
            env.put("POSGATE_SESSION_REQUEST_RATE", "0");
            // Load generators sign on, handshake and download TMKs far more often per terminal than
            // a terminal does: the per-serial and per-terminal rates (issue 13) are off here.
            env.put("POSGATE_POSP_SIGN_ON_RATE", "0");
            env.put("POSGATE_TMS_H1_RATE", "0");
            env.put("POSGATE_KMS_K2_RATE", "0");
            env.put("POSGATE_LOG_LEVEL", "WARN");
            if (gatewayHsmProcess) {
                int gatewayHsmPort = GatewayUnderTest.freePort();
                gatewayHsm = SideProcess.start(jar, "dev.posgate.hsm.sim.HsmSimMain", SIDE_JVM,
                        List.of("--port", String.valueOf(gatewayHsmPort), "--lmk-file", lmk.toString(), "--dev", "--allow-clear-components"),
                        gatewayHsmPort, work.resolve("gateway-hsm.log"));
                env.put("POSGATE_HSM_HOSTS", "127.0.0.1:" + gatewayHsmPort);
            }
            gateway = ServerProcess.start(jar, gatewayJvm(), List.of("serve"), env, work.resolve("gateway.log"));

            AdminClient admin = new AdminClient(adminPort, token);
            String[] zone = admin.zoneKeys();
            List<String> hostArgs = new ArrayList<>(List.of("upstream-sim", "--port", String.valueOf(hostPort),
                    "--hsm", "127.0.0.1:" + hsmPort, "--zpk", zone[0], "--zak", zone[1], "--pin", VirtualTerminal.PIN,
                    "--hsm-connections", String.valueOf(LoadSettings.hsmConnections(4))));
            hostArgs.addAll(hostRules);
            host = SideProcess.start(jar, "dev.posgate.devtools.DevMain", SIDE_JVM, hostArgs, hostPort, work.resolve("upstream-sim.log"));
            provision(admin, terminals, tmkCeremony);
            // The gateway's upstream link retries every second; give it time to connect.
            Thread.sleep(1500);
            PurchaseRig rig = new PurchaseRig(port, admin, terminals, work, jar, hostHsm, gatewayHsm, gateway, host);
            Runtime.getRuntime().addShutdownHook(new Thread(rig::close, "stop-posp-world"));
            return rig;
        } catch (IOException e) {
            close(host, gateway, hostHsm, gatewayHsm);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            close(host, gateway, hostHsm, gatewayHsm);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            close(host, gateway, hostHsm, gatewayHsm);
            throw e;
        }
    }

    /**
     * Registers the terminals (and forms their TMKs in the gateway's HSM by the ceremony) through the
     * admin API, {@code -DprovisionConcurrency} calls at a time (default 8): a fleet of 10,000 is
     * provisioned in minutes rather than in sequence. {@code -Dsm4.share}: that share of the
     * terminals has the SM4 profile (keyAlgorithm SM4).
     */
    private static void provision(AdminClient admin, int terminals, boolean tmkCeremony) throws InterruptedException {
        int concurrency = Math.max(1, Integer.getInteger("provisionConcurrency", 8));
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, terminals)));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 1; n <= terminals; n++) {
                int i = n;
                done.add(pool.submit(() -> {
                    boolean sm4 = LoadSettings.isSm4(i);
                    if (tmkCeremony) admin.registerTmkTerminal(VirtualTerminal.tid(i), VirtualTerminal.sn(i), sm4);
                    else admin.registerTerminal(VirtualTerminal.tid(i), VirtualTerminal.sn(i), "LOAD", "VIRTUAL", sm4);
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (terminals >= 100) {
            System.out.printf("provisioned %d terminals in %.1f s (%d admin calls at a time)%n", terminals,
                    (System.nanoTime() - t0) / 1e9, concurrency);
        }
    }

    /** GATEWAY_JVM plus {@code -Dposgate.gatewayJvmArgs} (space-separated), e.g. a JFR recording to profile a run. */
    private static List<String> gatewayJvm() {
        String extra = System.getProperty("posgate.gatewayJvmArgs", "").trim();
        if (extra.isEmpty()) return GATEWAY_JVM;
        List<String> all = new ArrayList<>(GATEWAY_JVM);
        all.addAll(List.of(extra.split("\\s+")));
        return all;
    }

    int port() {
        return port;
    }

    AdminClient admin() {
        return admin;
    }

    /** The world's directory (logs, data, cards). */
    Path work() {
        return work;
    }

    Path gatewayJar() {
        return jar;
    }

    /** The gateway's development CA (kms.ca.dir default: data.dir/ca). */
    Path caDir() {
        return work.resolve("data").resolve("ca");
    }

    int terminals() {
        return terminals;
    }

    /** Roles of {@link #processes()} that {@link CpuReport} singles out. */
    static final String ROLE_GATEWAY = "gateway JVM";
    static final String ROLE_GATEWAY_HSM = "gateway HSM";
    static final String ROLE_POSTGRESQL = "PostgreSQL";

    /** The processes of the world by role, for {@link CpuSampler}. */
    Map<String, Supplier<Stream<ProcessHandle>>> processes() {
        Map<String, Supplier<Stream<ProcessHandle>>> roles = new LinkedHashMap<>();
        roles.put(ROLE_GATEWAY, () -> ProcessHandle.of(gateway.pid()).stream());
        if (gatewayHsm != null) roles.put(ROLE_GATEWAY_HSM, () -> Stream.of(gatewayHsm.handle()));
        // Embedded PostgreSQL's postmaster is detached from the gateway (pg_ctl); find it by its data directory.
        String dataDir = work.resolve("data").toString();
        roles.put(ROLE_POSTGRESQL, () -> ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(dataDir)).orElse(false))
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants())));
        roles.put("host sim", () -> Stream.of(host.handle()));
        roles.put("host HSM", () -> Stream.of(hostHsm.handle()));
        roles.put("Gatling", () -> Stream.of(ProcessHandle.current()));
        return roles;
    }

    /** Completed HSM commands of the gateway so far, by command code (its hsm_request_seconds_count series). */
    SortedMap<String, Long> hsmCommands() {
        SortedMap<String, Long> counts = new TreeMap<>();
        Pattern series = Pattern.compile("^hsm_request_seconds_count\\{(.*)\\} ([0-9.eE+]+)$");
        Pattern command = Pattern.compile("command=\"([^\"]+)\"");
        for (String line : admin.metrics().split("\n")) {
            Matcher m = series.matcher(line);
            if (!m.matches()) continue;
            Matcher c = command.matcher(m.group(1));
            if (c.find()) counts.merge(c.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return counts;
    }

    /** The next provisioned terminal, for one virtual user. */
    VirtualTerminal nextTerminal() {
        int n = handedOut.incrementAndGet();
        if (n > terminals) throw new IllegalStateException("only " + terminals + " terminals provisioned");
        return new VirtualTerminal(n, LoadSettings.isSm4(n) ? KeyAlgorithm.SM4 : KeyAlgorithm.TDES);
    }

    /** Stops host, gateway and HSM; idempotent. */
    @Override
    public void close() {
        close(host, gateway, hostHsm, gatewayHsm);
    }

    private static void close(SideProcess host, ServerProcess gateway, SideProcess hostHsm, SideProcess gatewayHsm) {
        if (host != null) host.close();
        if (gateway != null && gateway.isAlive()) gateway.close();
        if (hostHsm != null) hostHsm.close();
        if (gatewayHsm != null) gatewayHsm.close();
    }
}
