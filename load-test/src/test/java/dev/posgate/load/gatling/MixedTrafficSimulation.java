package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static dev.posgate.load.gatling.PosTcpDsl.field;
import static dev.posgate.load.gatling.PosTcpDsl.posTcp;
import static dev.posgate.load.gatling.PosTcpDsl.request;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doSwitch;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Mixed POS traffic (issue 18 item 7) next to echo, in one run on one world ({@link PurchaseRig}:
 * gateway, host simulator started with {@code --issuer-script all}, HSMs, {@code users}
 * provisioned TMK terminals):
 * <ol>
 *   <li>"steady echo": {@code users} terminals echo back to back for {@code echoSeconds};</li>
 *   <li>"mixed traffic": as many virtual terminals ({@link MixedTerminal}) sign on (003) once,
 *       then loop for {@code warmUpSeconds} (reported under "… warm-up") and then {@code seconds},
 *       each turn picking a kind by its share ({@link MixShares}, {@code -Dmix.<kind>=<weight>}):
 *       purchase; IC purchase with 55; balance inquiry; pre-auth then its completion; sale then a
 *       refund of half of it (0220); settlement of the open batch claiming one phantom sale, so
 *       the gateway answers out of balance, then the batch upload (0320 201, 8 per message) and its
 *       end (0320 202).</li>
 * </ol>
 * Every answer is checked: MTI and STAN, 39 = 00, its MAC under the MAK, and per kind the auth
 * code, the IC answer's ARPC and issuer script, the settlement's out-of-balance flag, the count
 * the end of upload returns. Assertions: not one failed request, and every kind with a share
 * passed at least once. The closing table gives each request's rate over its phase and the mixed
 * requests' rate against echo's.
 */
public final class MixedTrafficSimulation extends Simulation {
    private static final String ECHO = "echo 0820";
    private static final String SIGN_ON = "sign-on 0800/003";
    private static final String PURCHASE = "purchase 0200";
    private static final String IC = "IC purchase 0200 (55)";
    private static final String BALANCE = "balance 0200";
    private static final String PREAUTH = "pre-auth 0100";
    private static final String COMPLETION = "completion 0200";
    private static final String SALE = "sale to refund 0200";
    private static final String REFUND = "refund 0220";
    private static final String SETTLEMENT = "settlement 0500";
    private static final String UPLOAD = "batch upload 0320";
    private static final String UPLOAD_END = "upload end 0320";
    private static final String WARM_UP = " warm-up";
    private static final String ALL = "all mixed requests";
    private static final List<String> REQUESTS = List.of(PURCHASE, IC, BALANCE, PREAUTH, COMPLETION, SALE, REFUND, SETTLEMENT,
            UPLOAD, UPLOAD_END);
    /** The request of each kind that must have passed at least once when the kind has a share. */
    private static final Map<String, List<String>> KIND_REQUESTS = Map.of(MixShares.PURCHASE, List.of(PURCHASE),
            MixShares.IC, List.of(IC), MixShares.BALANCE, List.of(BALANCE), MixShares.PREAUTH, List.of(PREAUTH, COMPLETION),
            MixShares.REFUND, List.of(SALE, REFUND), MixShares.SETTLEMENT, List.of(SETTLEMENT, UPLOAD_END));

    private final int users = LoadSettings.users(20);
    private final Duration echoSeconds = LoadSettings.seconds("echoSeconds", 10);
    private final Duration warmUp = LoadSettings.seconds("warmUpSeconds", 3);
    private final Duration seconds = LoadSettings.seconds("seconds", 15);
    private final MixShares shares = MixShares.fromSystemProperties();
    private final PurchaseRig rig = PurchaseRig.start(users, false, true, List.of("--issuer-script", "all"));
    private final PhaseMeter meter = new PhaseMeter();
    private final double loadAtStart = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

    private final ScenarioBuilder echo = scenario("steady echo")
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(during(echoSeconds).on(exec(request(ECHO, s -> PosFrames.echo()).check(field(39, "00"))
                    .onResponse((s, r) -> {
                        meter.record(ECHO);
                        return s;
                    })).exitHereIfFailed()))
            .exec(disconnect());

    private final ScenarioBuilder mixed = scenario("mixed traffic")
            .exec(session -> session.set("terminal", new MixedTerminal(rig.nextTerminal(), true)))
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(request(SIGN_ON, s -> terminal(s).terminal().signOn()).check(field(39, "00"))
                    .onResponse((s, r) -> {
                        terminal(s).terminal().acceptSignOn(r);
                        return s;
                    }))
            .exitHereIfFailed()
            .exec(during(warmUp).on(turn(WARM_UP)))
            .exec(during(seconds).on(turn("")))
            .exec(disconnect());

    {
        setUp(echo.injectOpen(atOnceUsers(users)).andThen(mixed.injectOpen(atOnceUsers(users))))
                .protocols(posTcp().address("127.0.0.1", rig.port()))
                .assertions(assertions())
                .maxDuration(echoSeconds.plus(warmUp).plus(seconds).plusSeconds(90));
    }

    /** Not one failed request, echo and sign-on passed, and each kind with a share passed at least once. */
    private List<Assertion> assertions() {
        List<Assertion> all = new ArrayList<>();
        all.add(global().failedRequests().count().is(0L));
        all.add(details(ECHO).successfulRequests().count().gt(0L));
        all.add(details(SIGN_ON).successfulRequests().count().gt(0L));
        for (String kind : MixShares.kinds()) {
            if (shares.share(kind) == 0) continue;
            for (String name : KIND_REQUESTS.get(kind)) all.add(details(name).successfulRequests().count().gt(0L));
        }
        return all;
    }

    /** One turn of the loop: a kind picked by its share, its requests in order. */
    private ChainBuilder turn(String suffix) {
        return exec(session -> session.set("kind", shares.pick(ThreadLocalRandom.current().nextDouble())))
                .exec(doSwitch("#{kind}").on(
                        onCase(MixShares.PURCHASE).then(step(PURCHASE + suffix, MixedTerminal::purchase)),
                        onCase(MixShares.IC).then(step(IC + suffix, MixedTerminal::icPurchase)),
                        onCase(MixShares.BALANCE).then(step(BALANCE + suffix, MixedTerminal::balance)),
                        onCase(MixShares.PREAUTH).then(step(PREAUTH + suffix, MixedTerminal::preAuth)
                                .exec(step(COMPLETION + suffix, MixedTerminal::completion))),
                        onCase(MixShares.REFUND).then(step(SALE + suffix, MixedTerminal::sale)
                                .exec(step(REFUND + suffix, MixedTerminal::refund))),
                        onCase(MixShares.SETTLEMENT).then(step(SETTLEMENT + suffix, MixedTerminal::settlement)
                                .exec(asLongAs(s -> terminal(s).uploading()).on(step(UPLOAD + suffix, MixedTerminal::uploadDetail)))
                                .exec(step(UPLOAD_END + suffix, MixedTerminal::uploadEnd)))));
    }

    /** One request: 39 = 00 (and MTI, STAN), then the terminal's own checks of the answer; a KO ends the virtual terminal. */
    private ChainBuilder step(String name, Function<MixedTerminal, byte[]> body) {
        return exec(request(name, s -> body.apply(terminal(s))).check(field(39, "00"))
                .onResponse((s, r) -> {
                    terminal(s).answered(r);
                    meter.record(name);
                    if (!name.endsWith(WARM_UP)) meter.record(ALL);
                    return s;
                })).exitHereIfFailed();
    }

    private static MixedTerminal terminal(Session session) {
        return session.get("terminal");
    }

    @Override
    public void after() {
        double echoRate = meter.perSecond(ECHO);
        double allRate = meter.perSecond(ALL);
        Map<String, String> shareOf = new LinkedHashMap<>();
        KIND_REQUESTS.forEach((kind, names) -> names.forEach(n -> shareOf.put(n, String.format("%.0f %%", 100 * shares.share(kind)))));
        System.out.printf("%n%-24s %7s %10s %12s%n", "request (" + users + " terminals)", "kind", "passed", "per second");
        System.out.printf("%-24s %7s %10d %12.1f%n", ECHO, "", meter.count(ECHO), echoRate);
        for (String name : REQUESTS) {
            System.out.printf("%-24s %7s %10d %12.1f%n", name, shareOf.getOrDefault(name, ""), meter.count(name), meter.perSecond(name));
        }
        System.out.printf("%-24s %7s %10d %12.1f%n", ALL, "", meter.count(ALL), allRate);
        System.out.printf("mixed requests/echo: %.1f %%%n", echoRate == 0 ? 0 : 100 * allRate / echoRate);
        // The machine's other load skews the multi-process purchase path far more than echo: say how loaded it was.
        System.out.printf("load average (1 min) at start %.1f, at the end %.1f, %d processors%n%n", loadAtStart,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        rig.close();
    }
}
