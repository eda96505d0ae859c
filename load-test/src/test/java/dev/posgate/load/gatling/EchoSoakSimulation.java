package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;

/**
 * Echo keep-alive soak: {@code users} terminals (default 200) connect once over {@code ramp}
 * seconds (default 5), then each sends an echo test every {@code interval} seconds (default 5)
 * for {@code seconds} (default 30), as idle terminals do to keep their GPRS connection alive.
 * A real soak is e.g. {@code -Dusers=10000 -Dramp=60 -Dinterval=60 -Dseconds=3600}.
 */
public final class EchoSoakSimulation extends PosGatewaySimulation {
    private final int users = LoadSettings.users(200);
    private final Duration ramp = LoadSettings.seconds("ramp", 5);
    private final Duration interval = LoadSettings.seconds("interval", 5);
    private final Duration duration = LoadSettings.seconds("seconds", 30);

    private final ScenarioBuilder soak = scenario("echo keep-alive soak")
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(during(duration).on(pause(interval).exec(echo())))
            .exec(disconnect());

    {
        setUp(soak.injectOpen(rampUsers(users).during(ramp)))
                .protocols(protocol)
                .assertions(assertions(200))
                .maxDuration(ramp.plus(duration).plus(interval).plusSeconds(30));
    }
}
