package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static dev.posgate.load.gatling.PosTcpDsl.field;
import static dev.posgate.load.gatling.PosTcpDsl.posTcp;
import static dev.posgate.load.gatling.PosTcpDsl.request;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.posgate.protocol.posp.KeyAlgorithm;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * POSP throughput against echo, in one run on one world ({@link PurchaseRig}: gateway, host
 * simulator, HSMs, {@code users} provisioned TMK terminals):
 * <ol>
 *   <li>"steady echo": {@code users} terminals echo back to back for {@code echoSeconds} (the
 *       baseline of the same gateway process, warmed up the same way);</li>
 *   <li>"fleet sign-on and purchases": the same number of virtual terminals each take a
 *       provisioned terminal, sign on with 003 repeatedly, for {@code signOnWarmUpSeconds} under
 *       their own name (not measured), then for {@code signOnSeconds} (working keys checked
 *       against their KCVs every time; the last ones stay), then send purchases with PIN
 *       and MAC, for {@code warmUpSeconds} under their own name (not measured), then for
 *       {@code seconds}, each followed by {@code thinkMillis} of think time
 *       (0: back to back, i.e. the gateway's capacity). A purchase passes when 39 = 00 and the
 *       answer's MAC verifies under the MAK.</li>
 * </ol>
 * A terminal whose request fails stops (one KO, not a loop of "not connected"). The closing
 * tables give echo/s, sign-ons/s and purchases/s (each over its own phase), the purchase/echo
 * ratio, the gateway's HSM commands, every process's CPU per operation, the gateway's split into
 * application, JIT and GC threads, and system calls per operation ({@link CpuReport}); p50/p99 per request
 * are in the Gatling report. With {@code -Dsm4.share} (0.0 to 1.0) that share of the terminals
 * are SM4 terminals (SM4 TMK by ceremony, SM4 working keys, SM4 PIN block, SM4 MAC); a table gives
 * sign-ons/s and purchases/s of each key algorithm in the same run.
 */
public final class PurchaseSimulation extends Simulation {
    private static final String ECHO = "echo 0820";
    private static final String SIGN_ON = "sign-on 0800/003";
    private static final String SIGN_ON_WARM_UP = "sign-on 0800/003 warm-up";
    private static final String PURCHASE = "purchase 0200";
    private static final String WARM_UP = "purchase 0200 warm-up";

    private final int users = LoadSettings.users(20);
    private final Duration echoSeconds = LoadSettings.seconds("echoSeconds", 10);
    private final Duration signOnWarmUp = LoadSettings.seconds("signOnWarmUpSeconds", 5);
    private final Duration signOnSeconds = LoadSettings.seconds("signOnSeconds", 5);
    private final Duration warmUp = LoadSettings.seconds("warmUpSeconds", 3);
    private final Duration seconds = LoadSettings.seconds("seconds", 15);
    private final Duration think = Duration.ofMillis(Integer.getInteger("thinkMillis", 0));
    private final PurchaseRig rig = PurchaseRig.start(users, Boolean.getBoolean("gatewayHsmProcess"));
    private final PhaseMeter meter = new PhaseMeter();
    private final CpuSampler cpu = new CpuSampler(rig.processes());

    private final ScenarioBuilder echo = scenario("steady echo")
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(during(echoSeconds).on(exec(request(ECHO, s -> PosFrames.echo()).check(field(39, "00"))
                    .onResponse((s, r) -> counted(s, ECHO))).exitHereIfFailed()))
            .exec(disconnect());

    private final ScenarioBuilder fleet = scenario("fleet sign-on and purchases")
            .exec(session -> session.set("terminal", rig.nextTerminal()))
            .exec(connect("connect"))
            .exitHereIfFailed()
            // The first sign-on of every terminal at once runs cold code paths (p99 above 500 ms on
            // a loaded machine), and the JIT compiles for a while yet (40 % of the gateway's CPU over
            // a 20-s sign-on phase): they are reported apart, as the purchase warm-up is.
            .exec(signOn(SIGN_ON_WARM_UP))
            .exec(during(signOnWarmUp).on(signOn(SIGN_ON_WARM_UP)))
            .exec(during(signOnSeconds).on(signOn(SIGN_ON)))
            .exitHereIfFailed()
            .exec(during(warmUp).on(purchase(WARM_UP)))
            .exec(during(seconds).on(purchase(PURCHASE)))
            .exec(disconnect());

    {
        setUp(echo.injectOpen(atOnceUsers(users)).andThen(fleet.injectOpen(atOnceUsers(users))))
                .protocols(posTcp().address("127.0.0.1", rig.port()))
                .assertions(assertions())
                .maxDuration(echoSeconds.plus(signOnWarmUp).plus(signOnSeconds).plus(warmUp).plus(seconds).plusSeconds(60));
    }

    /** Global error rate and p99, and the same per flow: echo volume must not hide failing purchases. */
    private static List<Assertion> assertions() {
        List<Assertion> all = new ArrayList<>(PosGatewaySimulation.assertions(500));
        for (String name : new String[] {SIGN_ON, PURCHASE}) {
            all.add(details(name).failedRequests().percent().lte(LoadSettings.maxErrorPercent()));
            all.add(details(name).successfulRequests().count().gt(0L));
            all.add(details(name).responseTime().percentile(99.0).lte(LoadSettings.p99Millis(500)));
        }
        return all;
    }

    private ChainBuilder signOn(String name) {
        return exec(request(name, s -> terminal(s).signOn()).check(field(39, "00"))
                .onResponse((s, r) -> {
                    terminal(s).acceptSignOn(r);
                    return grouped(counted(s, name), name);
                })).exitHereIfFailed();
    }

    /** The first purchases run cold code paths (about 0.8 s each at first): they go under {@link #WARM_UP}. */
    private ChainBuilder purchase(String name) {
        ChainBuilder send = exec(request(name, s -> terminal(s).purchase(100)).check(field(39, "00"))
                .onResponse((s, r) -> {
                    terminal(s).verifyMac(r);
                    return grouped(counted(s, name), name);
                })).exitHereIfFailed();
        return think.isZero() ? send : send.pause(think);
    }

    private static VirtualTerminal terminal(Session session) {
        return session.get("terminal");
    }

    private Session counted(Session session, String name) {
        meter.record(name);
        return session;
    }

    /** Also counts {@code name} under the terminal's key algorithm ("purchase 0200 SM4"), for the per-group table. */
    private Session grouped(Session session, String name) {
        meter.record(name + " " + terminal(session).algorithm());
        return session;
    }

    @Override
    public void after() {
        double echoRate = meter.perSecond(ECHO);
        double purchaseRate = meter.perSecond(PURCHASE);
        System.out.printf("%n%-20s %10s %12s%n", "phase (" + users + " terminals)", "passed", "per second");
        for (String name : new String[] {ECHO, SIGN_ON, PURCHASE}) {
            System.out.printf("%-20s %10d %12.1f%n", name, meter.count(name), meter.perSecond(name));
        }
        System.out.printf("purchases/echo: %.1f %%%n%n", echoRate == 0 ? 0 : 100 * purchaseRate / echoRate);
        // Per key algorithm (-Dsm4.share), same run: each group's rate over its own window.
        System.out.printf("%-20s %10s %10s %12s %14s%n", "by key algorithm", "terminals", "passed", "per second",
                "per terminal/s");
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            long n = java.util.stream.IntStream.rangeClosed(1, users)
                    .filter(i -> LoadSettings.isSm4(i) == (algorithm == KeyAlgorithm.SM4)).count();
            if (n == 0) continue;
            for (String name : new String[] {SIGN_ON, PURCHASE}) {
                String group = name + " " + algorithm;
                double rate = meter.perSecond(group);
                System.out.printf("%-20s %10d %10d %12.1f %14.2f%n", group, n, meter.count(group), rate, rate / n);
            }
        }
        System.out.println();
        // Every HSM command of the run (sign-ons and purchases use distinct codes), per operation.
        long signOns = Math.max(1, meter.count(SIGN_ON) + meter.count(SIGN_ON_WARM_UP));
        long purchases = Math.max(1, meter.count(PURCHASE));
        System.out.printf("%-12s %10s %12s %13s%n", "HSM command", "completed", "per sign-on", "per purchase");
        rig.hsmCommands().forEach((command, n) -> System.out.printf("%-12s %10d %12.2f %13.2f%n",
                command, n, (double) n / signOns, (double) n / purchases));
        System.out.println();
        CpuReport.print(cpu, meter, "op", ECHO, SIGN_ON, PURCHASE);
        System.out.println();
        cpu.close();
        rig.close();
    }
}
