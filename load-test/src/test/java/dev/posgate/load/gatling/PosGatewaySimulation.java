package dev.posgate.load.gatling;

import static dev.posgate.load.gatling.PosTcpDsl.field;
import static dev.posgate.load.gatling.PosTcpDsl.posTcp;
import static dev.posgate.load.gatling.PosTcpDsl.request;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;
import java.util.List;
import java.util.Map;

/**
 * Shared set-up of the gateway simulations: the gateway under test, the protocol pointing at it
 * (its plain listener, or its TLS listener with {@code -Dtls=true}),
 * the echo request, and the pass/fail assertions (error rate and p99). New flows (sign-on, TMK
 * download, purchases, TMS download waves) become subclasses with their own request builders
 * in {@link PosFrames}.
 */
public abstract class PosGatewaySimulation extends Simulation {
    protected final GatewayUnderTest gateway;
    /** Plain TCP, or the gateway's TLS listener with {@code -Dtls=true}. */
    protected final PosTcpProtocolBuilder protocol;

    protected PosGatewaySimulation() {
        this(Map.of());
    }

    /** {@code settings}: gateway environment variables a flow needs (only when the gateway is started here). */
    protected PosGatewaySimulation(Map<String, String> settings) {
        gateway = settings.isEmpty() ? GatewayUnderTest.resolve() : GatewayUnderTest.start(settings);
        protocol = Boolean.getBoolean("tls") ? tls(gateway) : plain(gateway);
    }

    static PosTcpProtocolBuilder plain(GatewayUnderTest gateway) {
        return posTcp().address("127.0.0.1", gateway.port());
    }

    static PosTcpProtocolBuilder tls(GatewayUnderTest gateway) {
        return posTcp().address("127.0.0.1", gateway.tlsPort()).tls(gateway.tlsTrust());
    }

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
