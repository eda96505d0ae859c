package dev.posgate.load.failover;

import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two gateways behind HAProxy sharing one PostgreSQL; one is killed (SIGKILL) under purchase
 * load; terminals reconnect through HAProxy, reverse what went unanswered, and the books are
 * reconciled (docs/reliability.md "Multi-node failover"). Run from the repository root after
 * building the gateway jar and the load-test test classes (docs/operations.md), best through the
 * {@code failover} profile of load-test:
 *
 * <pre>
 * mvn -B -o -Pfailover -DskipTests -pl dev-tools,load-test -am verify \
 *     -Dfailover.args="--terminals 50 --before 10 --after 20 --think-ms 100 --host-latency-ms 50"
 * </pre>
 *
 * ({@code --no-redispatch} leaves HAProxy's {@code option redispatch} out.)
 * Prints the figures; exits 1 when the books do not reconcile.
 */
public final class MultiNodeFailover {

    /** The measured figures of one run. */
    record Report(FailoverSettings settings, double ratePerSecondBefore, double ratePerSecondAfter, long purchasesInFlightAtKill,
            long victimConnections, long survivorConnectionsBefore, long survivorConnectionsAfter,
            int terminalsReconnected, long resumeMedianMs, long resumeMaxMs, String timeline, String hostCounts,
            long reversalQueueDrainMs, Reconciliation books, Path work) {

        String describe() {
            Reconciliation b = books;
            return String.join("\n",
                    "multi-node failover: " + settings.terminals() + " terminals, kill after " + settings.secondsBeforeKill()
                            + " s, " + settings.secondsAfterKill() + " s after, think " + settings.thinkMs() + " ms, host latency "
                            + settings.hostLatencyMs() + " ms, " + (settings.redispatch() ? "" : "no ") + "option redispatch (world in " + work + ")",
                    String.format("purchases/s before the kill %.1f, after it (from resume) %.1f", ratePerSecondBefore, ratePerSecondAfter),
                    "answers per second: " + timeline,
                    "purchases in flight (all terminals) at the kill: " + purchasesInFlightAtKill,
                    "connections on the killed node " + victimConnections + ", on the survivor " + survivorConnectionsBefore
                            + " before and " + survivorConnectionsAfter + " after; terminals that reconnected " + terminalsReconnected,
                    "time to resume (connection lost -> next purchase answered): median " + resumeMedianMs + " ms, max " + resumeMaxMs + " ms",
                    "terminals: purchases sent " + b.purchasesSent() + ", answered " + b.purchasesAnswered() + " (approved "
                            + b.purchasesApproved() + ", amount " + b.approvedAmount() + "), unanswered " + b.unanswered()
                            + ", reversals sent " + b.reversalsSent() + ", acknowledged " + b.reversalsAcknowledged() + ", lost " + b.lost()
                            + "; answer codes " + b.answerCodes() + ", reversal answer codes " + b.reversalCodes(),
                    "host ledger: " + b.hostLedgerEntries() + " purchases, amount " + b.hostLedgerAmount() + " (" + hostCounts + ")",
                    "database: APPROVED purchases " + b.dbApproved() + " amount " + b.dbApprovedAmount() + ", PENDING purchases "
                            + b.dbPendingPurchases() + " (" + b.dbPendingWithoutReversal() + " without a reversal), posp_reversal DELIVERED "
                            + b.dbReversalsDelivered() + " PENDING " + b.dbReversalsPending() + " (queue drained in " + reversalQueueDrainMs + " ms)",
                    b.problems().isEmpty() ? "books reconcile" : "DISCREPANCIES:\n  " + String.join("\n  ", b.problems()));
        }
    }

    private MultiNodeFailover() {}

    public static void main(String[] args) throws Exception {
        FailoverSettings settings = FailoverSettings.parse(args);
        Path haproxy = HaproxyProcess.binary().orElseThrow(() -> new IllegalStateException("haproxy is not installed"));
        Path work = Path.of("load-test", "target", "failover-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Report report = run(settings, haproxy, work.toAbsolutePath());
        System.out.println(report.describe());
        System.exit(report.books().problems().isEmpty() ? 0 : 1);
    }

    static Report run(FailoverSettings s, Path haproxy, Path work) throws Exception {
        Files.createDirectories(work);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        List<FailoverTerminal> terminals = new ArrayList<>();
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 1; i <= s.terminals(); i++) {
            String tid = String.format("MN%06d", i);
            ids.put(tid, String.format("MNSN%08d", i));
        }
        long t0 = System.nanoTime();
        try (FailoverWorld world = FailoverWorld.start(haproxy, work, ids, s)) {
            long worldMs = (System.nanoTime() - t0) / 1_000_000;
            FleetMeter meter = new FleetMeter(s.secondsBeforeKill() + s.secondsAfterKill() + 300);
            for (int i = 1; i <= s.terminals(); i++) {
                terminals.add(new FailoverTerminal(vertx, i, world.frontendPort(), s.thinkMs(), meter));
            }
            await(Future.all(terminals.stream().map(FailoverTerminal::signOn).toList()), 120);
            long signOnMs = (System.nanoTime() - t0) / 1_000_000 - worldMs;
            System.out.printf("failover: world up in %d ms, %d terminals signed on in %d ms%n", worldMs, s.terminals(), signOnMs);
            int started = meter.second(System.nanoTime());
            terminals.forEach(FailoverTerminal::start);
            Thread.sleep(s.secondsBeforeKill() * 1000L);

            FailoverWorld.Node victim = world.nodes().get(0);
            FailoverWorld.Node survivor = world.nodes().get(1);
            long victimConnections = FailoverWorld.activeConnections(victim);
            long survivorBefore = FailoverWorld.activeConnections(survivor);
            int[] connectionsBefore = terminals.stream().mapToInt(t -> t.connections).toArray();
            long inFlight = terminals.stream().filter(FailoverTerminal::purchaseInFlight).count();
            long killAt = System.nanoTime();
            victim.process().kill();
            int killSecond = meter.second(killAt);
            Thread.sleep(s.secondsAfterKill() * 1000L);
            long survivorAfter = FailoverWorld.activeConnections(survivor);

            int stopSecond = meter.second(System.nanoTime());
            await(Future.all(terminals.stream().map(FailoverTerminal::stop).toList()), 60);
            int endSecond = meter.second(System.nanoTime());
            long drainStart = System.nanoTime();
            waitForReversalQueue(world);
            long drainMs = (System.nanoTime() - drainStart) / 1_000_000;
            await(Future.all(terminals.stream().map(FailoverTerminal::close).toList()), 30);
            Map<String, Long> ledger = world.stopHostAndReadLedger();

            int reconnected = 0;
            List<Long> resumes = new ArrayList<>();
            for (int i = 0; i < terminals.size(); i++) {
                if (terminals.get(i).connections > connectionsBefore[i]) reconnected++;
                resumes.addAll(terminals.get(i).resumeMs);
            }
            resumes.sort(null);
            long median = resumes.isEmpty() ? 0 : resumes.get(resumes.size() / 2);
            long max = resumes.isEmpty() ? 0 : resumes.get(resumes.size() - 1);
            int resumedSecond = killSecond + (int) Math.ceil(max / 1000.0) + 1;
            Reconciliation books;
            try (Connection db = world.jdbc()) {
                books = Reconciliation.of(terminals, ledger, db);
            }
            return new Report(s, meter.rate(started + 1, killSecond), meter.rate(Math.min(resumedSecond, stopSecond - 1), stopSecond), inFlight,
                    victimConnections, survivorBefore, survivorAfter, reconnected, median, max, meter.timeline(endSecond + 1),
                    world.hostCounts(), drainMs, books, work);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until no reversal is PENDING in the shared database (the survivor delivers the queue). */
    private static void waitForReversalQueue(FailoverWorld world) throws Exception {
        try (Connection db = world.jdbc(); Statement st = db.createStatement()) {
            Eventually.until("no reversal left PENDING", () -> {
                try (ResultSet rs = st.executeQuery("select count(*) from posp_reversal where state = 'PENDING'")) {
                    rs.next();
                    return rs.getInt(1) == 0;
                }
            });
        }
    }

    private static <T> T await(Future<T> f, int seconds) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }
}
