package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static dev.posgate.load.gatling.PosTcpDsl.field;
import static dev.posgate.load.gatling.PosTcpDsl.request;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Echo over TLS next to plain TCP, in one run against one gateway process (its plain and TLS
 * listeners): {@code users} terminals echo back to back over plain TCP for {@code warmUpSeconds}
 * (not compared: JIT warm-up), then for {@code seconds}, then as many connect to the TLS listener
 * (full handshake each, certificate checked against the development terminal TLS CA) and echo for
 * {@code seconds}. Prints echo/s of each phase and the TLS/plain ratio; connect (with handshake)
 * and echo percentiles per transport are in the report.
 */
public final class TlsEchoSimulation extends PosGatewaySimulation {
    private static final String PLAIN = "echo 0820 plain";
    private static final String TLS = "echo 0820 tls";
    private static final String WARM_UP = "echo 0820 warm-up";

    private final int users = LoadSettings.users(50);
    private final Duration warmUp = LoadSettings.seconds("warmUpSeconds", 5);
    private final Duration seconds = LoadSettings.seconds("seconds", 15);
    private final PhaseMeter meter = new PhaseMeter();

    {
        setUp(echo("warm-up", "connect plain warm-up", WARM_UP, warmUp).injectOpen(atOnceUsers(users))
                        .protocols(plain(gateway))
                        .andThen(echo("plain echo", "connect plain", PLAIN, seconds).injectOpen(atOnceUsers(users))
                                .protocols(plain(gateway))
                                .andThen(echo("tls echo", "connect tls", TLS, seconds).injectOpen(atOnceUsers(users))
                                        .protocols(tls(gateway)))))
                .assertions(assertions())
                .maxDuration(warmUp.plus(seconds).plus(seconds).plusSeconds(60));
    }

    private ScenarioBuilder echo(String scenario, String connectName, String echoName, Duration duration) {
        return scenario(scenario)
                .exec(connect(connectName))
                .exitHereIfFailed()
                .exec(during(duration).on(exec(request(echoName, s -> PosFrames.echo()).check(field(39, "00"))
                        .onResponse((s, r) -> {
                            meter.record(echoName);
                            return s;
                        })).exitHereIfFailed()))
                .exec(disconnect());
    }

    private static List<Assertion> assertions() {
        List<Assertion> all = new ArrayList<>(assertions(200));
        for (String name : new String[] {PLAIN, TLS, "connect tls"}) {
            all.add(details(name).failedRequests().percent().lte(LoadSettings.maxErrorPercent()));
            all.add(details(name).successfulRequests().count().gt(0L));
        }
        return all;
    }

    @Override
    public void after() {
        double plain = meter.perSecond(PLAIN);
        double tls = meter.perSecond(TLS);
        System.out.printf("%n%-22s %10s %12s   (%d terminals, TLS engine %s)%n", "phase", "passed", "per second",
                users, PosConnector.tlsEngine());
        for (String name : new String[] {PLAIN, TLS}) {
            System.out.printf("%-22s %10d %12.1f%n", name, meter.count(name), meter.perSecond(name));
        }
        System.out.printf("tls/plain: %.1f %%%n%n", plain == 0 ? 0 : 100 * tls / plain);
        super.after();
    }
}
