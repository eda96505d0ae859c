package dev.posgate.load.gatling;

import io.gatling.core.CoreComponents;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.protocol.Protocol;
import io.gatling.core.protocol.ProtocolKey;
import java.nio.file.Path;
import java.time.Duration;
import scala.Function1;

/**
 * Where and how virtual terminals connect: one gateway listener on loopback, plain or TLS
 * (trusting the CA certificates of a PEM file), with connect and response timeouts. Immutable; built by {@link PosTcpProtocolBuilder}.
 */
public final class PosTcpProtocol implements Protocol {
    /** How Gatling finds this protocol's components for a scenario. */
    public static final ProtocolKey<PosTcpProtocol, PosTcpComponents> KEY = new ProtocolKey<>() {
        @Override
        @SuppressWarnings("unchecked")
        public Class<Protocol> protocolClass() {
            return (Class<Protocol>) (Class<?>) PosTcpProtocol.class;
        }

        @Override
        public PosTcpProtocol defaultProtocolValue(GatlingConfiguration configuration) {
            throw new IllegalStateException("no posTcp protocol: add PosTcpDsl.posTcp() to setUp(...).protocols(...)");
        }

        @Override
        public Function1<PosTcpProtocol, PosTcpComponents> newComponents(CoreComponents core) {
            return protocol -> new PosTcpComponents(protocol, core);
        }
    };

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Path tlsTrust;

    PosTcpProtocol(String host, int port, Duration connectTimeout, Duration responseTimeout, Path tlsTrust) {
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.tlsTrust = tlsTrust;
    }

    /** PEM of the CAs trusted for the gateway's TLS certificate; null for plain TCP. */
    public Path tlsTrust() {
        return tlsTrust;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration responseTimeout() {
        return responseTimeout;
    }
}
