package dev.posgate.devtools;

import dev.posgate.hostsim.HostRules;
import dev.posgate.hostsim.HostSimulator;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the bundled upstream host simulator (docs/posp.md) with its own HSM session. */
@Command(name = "upstream-sim", mixinStandardHelpOptions = true,
        description = "Run the upstream ISO8583 host simulator: ZAK MAC check, PIN check under the ZPK, approval rules, latency.")
final class UpstreamSimCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "9600", description = "Port (default: ${DEFAULT-VALUE}).") int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address (default: ${DEFAULT-VALUE}).") String host;
    @Option(names = "--hsm", required = true, description = "host:port of an HSM holding the same LMK as the gateway's "
            + "(a development HSM: the PIN check forms a verification key from components).") String hsm;
    @Option(names = "--hsm-connections", defaultValue = "2", description = "Connections to the HSM, 32 commands in flight each "
            + "(default: ${DEFAULT-VALUE}); a burst of purchases beyond that is dropped and the gateway answers 68.") int hsmConnections;
    @Option(names = "--hsm-header-length", defaultValue = "4", description = "HSM header length (default: ${DEFAULT-VALUE}).") int headerLength;
    @Option(names = "--zpk", required = true, description = "Zone PIN key under the LMK (U + 32 hex).") String zpk;
    @Option(names = "--zak", required = true, description = "Zone MAC key under the LMK (U + 32 hex).") String zak;
    @Option(names = "--zek", description = "Zone encryption key under the LMK (U + 32 hex) that encrypted tracks come "
            + "under (upstream.track.protection = zek); without it only clear tracks are read.") String zek;
    @Option(names = "--latency-ms", defaultValue = "0", description = "Delay before every answer (default: ${DEFAULT-VALUE}).") long latencyMs;
    @Option(names = "--pin", defaultValue = "123456", description = "PIN of every card (default: ${DEFAULT-VALUE}).") String pin;
    @Option(names = "--limit", defaultValue = "10000000", description = "Largest approved amount in minor units (default: ${DEFAULT-VALUE}).") long limit;
    @Option(names = "--issuer-script-pan", description = "IC rule: approvals of this PAN carrying 55 get an issuer script "
            + "(template 72) after the ARPC (91) every IC answer carries.") String scriptPan;
    @Option(names = "--issuer-script-amount", defaultValue = "-1", description = "IC rule: approvals of this amount (minor units) "
            + "carrying 55 get an issuer script (default: none).") long scriptAmount;
    @Option(names = "--ledger", description = "On exit (SIGTERM), write the host's ledger here: the counts, then one "
            + "line \"tid:batch:stan amount\" per approved purchase not reversed (reconciliation of failover tests).") Path ledger;

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        HsmPool pool = new HsmPool(vertx, HsmPoolConfig.builder().name("upstream-sim-hsm").host(hsm)
                .connectionsPerHost(hsmConnections).headerLength(headerLength).build());
        pool.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        HostSimulator sim = HostSimulator.start(vertx, new RemoteHsm(pool), new HostRules(pin, Map.of(), limit, false),
                        LmkKey.parse(zpk), LmkKey.parse(zak), zek == null ? null : LmkKey.parse(zek), latencyMs, host, port)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        sim.issuerScriptFor(scriptPan, scriptAmount);
        spec.commandLine().getOut().printf("posgate upstream simulator ready on %s:%d%n", host, sim.port());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // Stop taking messages first, so that the ledger written is the final one.
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                if (ledger != null) writeLedger(sim);
            } catch (Exception e) {
                spec.commandLine().getErr().println("upstream simulator: " + e);
            }
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private void writeLedger(HostSimulator sim) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# purchasesApproved " + sim.purchasesApproved() + " reversalsApplied " + sim.reversalsApplied()
                + " reversalsReceived " + sim.reversalsReceived().size());
        new TreeMap<>(sim.ledger()).forEach((key, amount) -> lines.add(key + " " + amount));
        Path tmp = ledger.resolveSibling(ledger.getFileName() + ".tmp");
        Files.write(tmp, lines);
        Files.move(tmp, ledger, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
