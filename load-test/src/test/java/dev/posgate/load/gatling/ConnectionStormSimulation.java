package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.connect;
import static dev.posgate.load.gatling.PosTcpDsl.disconnect;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rendezVous;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;

/**
 * Connection storm: {@code users} terminals (default 1000) are connected and answering echoes;
 * then all drop their connection (as after a gateway restart or a carrier outage), wait for each
 * other, and reconnect at the same instant, each proving its new connection with an echo.
 * "reconnect" in the report is the storm's connect time.
 */
public final class ConnectionStormSimulation extends PosGatewaySimulation {
    private final int users = LoadSettings.users(1000);
    private final Duration hold = LoadSettings.seconds("hold", 5);

    private final ScenarioBuilder storm = scenario("connection storm")
            .exec(connect("connect"))
            .exec(echo())
            .exec(pause(hold))
            .exec(disconnect())
            .exec(rendezVous(users))
            .exec(connect("reconnect"))
            .exec(echo())
            .exec(pause(hold))
            .exec(disconnect());

    {
        setUp(storm.injectOpen(atOnceUsers(users)))
                .protocols(protocol)
                .assertions(assertions(1000))
                .maxDuration(hold.multipliedBy(2).plusSeconds(60));
    }
}
