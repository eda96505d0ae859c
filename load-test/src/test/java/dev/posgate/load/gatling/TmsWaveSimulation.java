package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static dev.posgate.load.gatling.PosTcpDsl.tmsRequest;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TMS download wave (docs/tms.md): {@code users} terminals (default 20), provisioned before the
 * run by {@link TmsFleet} (DMK ceremony, group, a published package of {@code packageKiB} KiB,
 * default 256, targeted at the group), all start at once ({@code ramp} seconds, default 0 = at
 * once), as after a campaign is targeted: connect, H1, H2 (handshake checked by the terminal),
 * D1 (the package is offered with the published SHA-256), D2 frames of {@code frameBytes}
 * (default 16384) until the package is complete, its SHA-256 checked (a mismatch fails the last
 * D2), D3 installed. Each step is its own request name; prints packages/s and bytes/s.
 */
public final class TmsWaveSimulation extends PosGatewaySimulation {
    private static final String[] STEPS = {"H1", "H2", "D1", "D2", "D3"};

    private final int users = LoadSettings.users(20);
    private final int packageBytes = Integer.getInteger("packageKiB", 256) * 1024;
    private final int frameBytes = Integer.getInteger("frameBytes", 16384);
    private final Duration ramp = LoadSettings.seconds("ramp", 0);
    private final TmsFleet fleet = TmsFleet.provision(gateway.admin(), users, packageBytes, frameBytes);
    private final PhaseMeter meter = new PhaseMeter();
    private final AtomicLong bytes = new AtomicLong();

    private final ScenarioBuilder wave = scenario("TMS download wave")
            .exec(session -> session.set("tms", fleet.nextTerminal()))
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(tmsRequest("H1", s -> terminal(s).h1()).onResponse((s, r) -> s.set("h2", terminal(s).onH1(r))))
            .exitHereIfFailed()
            .exec(tmsRequest("H2", s -> s.get("h2")).onResponse((s, r) -> {
                terminal(s).onH2(r);
                return s.remove("h2");
            }))
            .exitHereIfFailed()
            .exec(tmsRequest("D1", s -> terminal(s).d1()).onResponse((s, r) -> {
                terminal(s).onD1(r);
                return s;
            }))
            .exitHereIfFailed()
            .asLongAs(s -> !terminal(s).complete()).on(exec(tmsRequest("D2", s -> terminal(s).d2())
                    .onResponse((s, r) -> {
                        terminal(s).onD2(r);
                        bytes.addAndGet(terminal(s).takeBytes());
                        meter.record("D2");
                        return s;
                    })).exitHereIfFailed())
            .exec(tmsRequest("D3", s -> terminal(s).d3()).onResponse((s, r) -> {
                meter.record("D3");
                return s;
            }))
            .exec(disconnect());

    public TmsWaveSimulation() {
        // 8 HSM connections as TmsThroughputBench: every D2 is four HSM commands, and the default
        // 2 x 32 in flight sheds a wave of 100 terminals with 96.
        super(Map.of("POSGATE_TMS_DMK_CEREMONY_ENABLED", "true", "POSGATE_HSM_SIM_CLEAR_COMPONENTS", "true",
                "POSGATE_HSM_CONNECTIONS_PER_HOST", String.valueOf(LoadSettings.hsmConnections(8))));
    }

    {
        OpenInjectionStep injection = ramp.isZero() ? atOnceUsers(users) : rampUsers(users).during(ramp);
        setUp(wave.injectOpen(injection))
                .protocols(protocol)
                .assertions(assertions())
                .maxDuration(ramp.plusSeconds(300));
    }

    private static List<Assertion> assertions() {
        List<Assertion> all = new ArrayList<>(assertions(2000));
        for (String step : STEPS) {
            all.add(details(step).failedRequests().percent().lte(LoadSettings.maxErrorPercent()));
            all.add(details(step).successfulRequests().count().gt(0L));
        }
        return all;
    }

    private static TmsTerminal terminal(Session session) {
        return session.get("tms");
    }

    @Override
    public void after() {
        long[] window = meter.window("D2");
        double seconds = window == null ? 0 : (window[1] - window[0]) / 1e9;
        long packages = meter.count("D3");
        System.out.printf("%nTMS wave: %d terminals, package %d bytes in frames of %d%n", users, packageBytes, frameBytes);
        System.out.printf("packages installed (D3 00): %d, D2 frames: %d, bytes: %d over %.2f s%n", packages,
                meter.count("D2"), bytes.get(), seconds);
        if (seconds > 0) {
            System.out.printf("throughput: %.1f KiB/s, %.1f D2/s, %.2f packages/s%n%n", bytes.get() / 1024.0 / seconds,
                    meter.count("D2") / seconds, packages / seconds);
        }
        super.after();
    }
}
