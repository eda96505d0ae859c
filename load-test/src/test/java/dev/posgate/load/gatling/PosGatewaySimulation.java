package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.field;
import static dev.posgate.load.gatling.PosTcpDsl.posTcp;
import static dev.posgate.load.gatling.PosTcpDsl.request;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;
import java.util.List;

/**
 * Shared set-up of the gateway simulations: the gateway under test, the protocol pointing at it,
 * the echo request, and the pass/fail assertions (error rate and p99). New flows (sign-on, TMK
 * download, purchases, TMS download waves) become subclasses with their own request builders
 * in {@link PosFrames}.
 */
public abstract class PosGatewaySimulation extends Simulation {
    protected final GatewayUnderTest gateway = GatewayUnderTest.resolve();
    protected final PosTcpProtocolBuilder protocol = posTcp().address("127.0.0.1", gateway.port());

    /** Echo test 0820 → 0830 with field 39 = 00. */
    protected static PosTcpRequestBuilder echo() {
        return request("echo 0820", session -> PosFrames.echo()).check(field(39, "00"));
    }

    protected static List<Assertion> assertions(int p99Millis) {
        return List.of(
                global().failedRequests().percent().lte(LoadSettings.maxErrorPercent()),
                global().responseTime().percentile(99.0).lte(LoadSettings.p99Millis(p99Millis)));
    }

    @Override
    public void after() {
        gateway.stop();
    }
}
