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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the bundled upstream host simulator (docs/posp.md) with its own HSM session. */
@Command(name = "upstream-sim", mixinStandardHelpOptions = true,
        description = "Run the upstream ISO8583 host simulator: ZAK MAC check, PIN check under the ZPK, rules (approve, "
                + "decline by amount or processing code, issuer scripts, delays per message type).")
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
    @Option(names = "--latency-ms", defaultValue = "0", description = "Delay before every answer (default: ${DEFAULT-VALUE}; "
            + "the rules' delay.ms and delay.<MTI> win).") long latencyMs;
    @Option(names = "--rules", description = "Rules file (Java properties, docs/posp.md \"Host simulator\"); the options "
            + "below override its keys.") Path rulesFile;
    @Option(names = "--pin", description = "PIN of every card (default: 123456).") String pin;
    @Option(names = "--limit", description = "Largest approved amount in minor units, above it 51 (default: 10000000; "
            + "none: no limit).") String limit;
    @Option(names = "--decline-above", paramLabel = "AMOUNT=CODE", description = "Authorisations above AMOUNT (minor units) "
            + "are declined CODE; the highest threshold crossed wins (repeatable).") Map<String, String> declineAbove = new LinkedHashMap<>();
    @Option(names = "--decline-processing", paramLabel = "F3[/TYPE]=CODE", description = "Every 0100/0200/0220 of field 3 "
            + "(and 60.1) is declined CODE, e.g. 310000=57 (balance), 200000/25=12 (refunds) (repeatable).")
    Map<String, String> declineProcessing = new LinkedHashMap<>();
    @Option(names = "--delay", paramLabel = "MTI=MS", description = "Delay before answering requests of MTI, on a timer "
            + "(repeatable), e.g. 0100=800.") Map<String, String> delays = new LinkedHashMap<>();
    @Option(names = "--issuer-script", description = "IC rule: all (every approved IC authorisation gets an issuer script) "
            + "or none (default: none, unless a PAN or amount below).") String script;
    @Option(names = "--issuer-script-template", description = "71 (before the final GENERATE AC) or 72 (after; default).")
    String scriptTemplate;
    @Option(names = "--issuer-script-pan", description = "IC rule: approvals of this PAN carrying 55 get an issuer script "
            + "after the ARPC (91) every IC answer carries.") String scriptPan;
    @Option(names = "--issuer-script-amount", description = "IC rule: approvals of this amount (minor units) "
            + "carrying 55 get an issuer script (default: none).") Long scriptAmount;
    @Option(names = "--ledger", description = "On exit (SIGTERM), write the host's ledger here: the counts, then one "
            + "line \"tid:batch:stan amount\" per approved purchase not reversed (reconciliation of failover tests).") Path ledger;

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        HsmPool pool = new HsmPool(vertx, HsmPoolConfig.builder().name("upstream-sim-hsm").host(hsm)
                .connectionsPerHost(hsmConnections).headerLength(headerLength).build());
        pool.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        HostRules rules = HostRules.from(rules());
        HostSimulator sim = HostSimulator.start(vertx, new RemoteHsm(pool), rules,
                        LmkKey.parse(zpk), LmkKey.parse(zak), zek == null ? null : LmkKey.parse(zek), latencyMs, host, port)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
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

    /** The rules file's keys, then the options' (which win). */
    Properties rules() throws IOException {
        Properties p = rulesFile == null ? new Properties() : HostRules.read(rulesFile);
        if (pin != null) p.setProperty("pin", pin);
        if (limit != null) p.setProperty("limit", limit);
        declineAbove.forEach((amount, code) -> p.setProperty("decline.above." + amount, code));
        declineProcessing.forEach((what, code) -> p.setProperty("decline.processing." + what, code));
        delays.forEach((mti, ms) -> p.setProperty("delay." + mti, ms));
        if (script != null) p.setProperty("issuer.script", script);
        if (scriptTemplate != null) p.setProperty("issuer.script.template", scriptTemplate);
        if (scriptPan != null) p.setProperty("issuer.script.pan", scriptPan);
        if (scriptAmount != null) p.setProperty("issuer.script.amount", String.valueOf(scriptAmount));
        return p;
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
