package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static dev.posgate.load.gatling.PosTcpDsl.field;
import static dev.posgate.load.gatling.PosTcpDsl.posTcp;
import static dev.posgate.load.gatling.PosTcpDsl.request;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The morning sign-on storm (issue 19): {@code terminals} registered TMK terminals
 * ({@link PurchaseRig}: TMKs formed in the gateway's HSM through the admin API before the run, not
 * measured) each connect and sign on (0800/003) once, all of them within the same
 * {@code windowSeconds} ({@code rampUsers} over the window), then hang up. A sign-on passes when
 * 39 = 00 and both working keys decrypt under the TMK to their KCVs ({@link VirtualTerminal#acceptSignOn}).
 * Assertions: no failure at all (connect or sign-on), every terminal signed on, p99 of the sign-on
 * and of every request ≤ {@code p99Millis} (2000). Prints sign-ons/s over the storm, p50/p99 of the
 * sign-on and of connect + sign-on, the HSM commands, every process's CPU per sign-on, the
 * gateway's split into application, JIT and GC threads, and system calls per sign-on ({@link CpuReport}).
 */
public final class SignOnStormSimulation extends Simulation {
    private static final String SIGN_ON = "storm sign-on 0800/003";

    private static final String WARM_UP = "warm-up sign-on 0800/003";

    private final int terminals = Integer.getInteger("terminals", 10_000);
    private final Duration window = LoadSettings.seconds("windowSeconds", 10);
    /**
     * Other terminals that sign on once each over {@code warmUpSeconds} before the storm (0: none,
     * a gateway and a generator started just before the window). A gateway at opening time has
     * served the night's traffic; without a warm-up both JVMs' JIT compilation falls inside the
     * window (docs/benchmarks.md). Not measured; their failures still fail the run.
     */
    private final int warmUpTerminals = Integer.getInteger("warmUpTerminals", 0);
    private final Duration warmUp = LoadSettings.seconds("warmUpSeconds", 10);
    /** A terminal's own wait for its answer: a storm past the node's rate is answered late, not refused (issue 19). */
    private final Duration responseTimeout = LoadSettings.seconds("responseSeconds", 60);
    private final PurchaseRig rig = PurchaseRig.start(warmUpTerminals + terminals, Boolean.getBoolean("gatewayHsmProcess"));
    private final PhaseMeter meter = new PhaseMeter();
    private final CpuSampler cpu = new CpuSampler(rig.processes());
    private final long[] signOnNanos = new long[terminals];
    private final long[] connectAndSignOnNanos = new long[terminals];
    private final AtomicInteger answered = new AtomicInteger();

    /** The warm-up's terminals come first from the rig, so the storm's are the last {@code terminals}. */
    private final ScenarioBuilder warmUpSignOns = scenario("sign-on warm-up")
            .exec(session -> session.set("terminal", rig.nextTerminal()))
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(request(WARM_UP, s -> terminal(s).signOn()).check(field(39, "00"))
                    .onResponse((s, r) -> {
                        terminal(s).acceptSignOn(r);
                        return s;
                    }))
            .exitHereIfFailed()
            .exec(disconnect());

    private final ScenarioBuilder storm = scenario("sign-on storm")
            .exec(session -> session.set("terminal", rig.nextTerminal()).set("arrived", System.nanoTime()))
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(session -> session.set("sent", System.nanoTime()))
            .exec(request(SIGN_ON, s -> terminal(s).signOn()).check(field(39, "00"))
                    .onResponse((s, r) -> {
                        terminal(s).acceptSignOn(r); // both KCVs checked: a mismatch fails the request
                        long now = System.nanoTime();
                        int i = answered.getAndIncrement();
                        if (i < terminals) {
                            signOnNanos[i] = now - s.getLong("sent");
                            connectAndSignOnNanos[i] = now - s.getLong("arrived");
                        }
                        meter.record(SIGN_ON);
                        return s;
                    }))
            .exitHereIfFailed()
            .exec(disconnect());

    {
        int p99 = LoadSettings.p99Millis(2000);
        PopulationBuilder stormUsers = storm.injectOpen(rampUsers(terminals).during(window));
        setUp(warmUpTerminals == 0 ? stormUsers
                : warmUpSignOns.injectOpen(rampUsers(warmUpTerminals).during(warmUp)).andThen(stormUsers))
                .protocols(posTcp().address("127.0.0.1", rig.port()).responseTimeout(responseTimeout))
                .assertions(
                        global().failedRequests().count().is(0L),
                        global().responseTime().percentile(99.0).lte(p99),
                        details(SIGN_ON).successfulRequests().count().is((long) terminals),
                        details(SIGN_ON).responseTime().percentile(99.0).lte(p99))
                .maxDuration(warmUp.plus(window).plus(responseTimeout).plusSeconds(120));
    }

    private static VirtualTerminal terminal(Session session) {
        return session.get("terminal");
    }

    private static double percentileMillis(long[] nanos, int n, double p) {
        if (n == 0) return 0;
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int at = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100 * n) - 1));
        return sorted[at] / 1e6;
    }

    @Override
    public void after() {
        int n = Math.min(answered.get(), terminals);
        System.out.printf("%nsign-on storm: %d terminals over %d s: %d signed on (00, KCVs checked), %.1f sign-ons/s"
                        + " (after a warm-up of %d other terminals over %d s)%n",
                terminals, window.toSeconds(), meter.count(SIGN_ON), meter.perSecond(SIGN_ON), warmUpTerminals, warmUp.toSeconds());
        System.out.printf("sign-on           p50 %8.1f ms   p99 %8.1f ms   max %8.1f ms%n",
                percentileMillis(signOnNanos, n, 50), percentileMillis(signOnNanos, n, 99), percentileMillis(signOnNanos, n, 100));
        System.out.printf("connect + sign-on p50 %8.1f ms   p99 %8.1f ms   max %8.1f ms%n%n",
                percentileMillis(connectAndSignOnNanos, n, 50), percentileMillis(connectAndSignOnNanos, n, 99),
                percentileMillis(connectAndSignOnNanos, n, 100));
        long signOns = Math.max(1, meter.count(SIGN_ON));
        System.out.printf("%-12s %10s %12s%n", "HSM command", "completed", "per sign-on");
        rig.hsmCommands().forEach((command, count) -> System.out.printf("%-12s %10d %12.2f%n",
                command, count, (double) count / signOns));
        System.out.println();
        CpuReport.print(cpu, meter, "sign-on", SIGN_ON);
        System.out.println();
        cpu.close();
        rig.close();
    }
}
