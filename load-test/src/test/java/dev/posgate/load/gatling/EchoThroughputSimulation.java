package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;

/**
 * Steady echo throughput: {@code users} terminals (default 50) connect once, then each sends
 * echo tests back to back, one outstanding at a time, for {@code seconds} (default 20).
 */
public final class EchoThroughputSimulation extends PosGatewaySimulation {
    private final int users = LoadSettings.users(50);
    private final Duration duration = LoadSettings.seconds("seconds", 20);

    private final ScenarioBuilder steady = scenario("steady echo")
            .exec(connect("connect"))
            .exitHereIfFailed()
            .exec(during(duration).on(echo()))
            .exec(disconnect());

    {
        setUp(steady.injectOpen(atOnceUsers(users)))
                .protocols(protocol)
                .assertions(assertions(200))
                .maxDuration(duration.plusSeconds(30));
    }
}
