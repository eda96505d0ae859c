package dev.posgate.load.gatling;

import io.gatling.core.protocol.Protocol;
import io.gatling.javaapi.core.ProtocolBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/** Fluent, immutable configuration of {@link PosTcpProtocol}; loopback addresses only. */
public final class PosTcpProtocolBuilder implements ProtocolBuilder {
    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Path tlsTrust;

    PosTcpProtocolBuilder(String host, int port, Duration connectTimeout, Duration responseTimeout, Path tlsTrust) {
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.tlsTrust = tlsTrust;
    }

    public PosTcpProtocolBuilder address(String newHost, int newPort) {
        return new PosTcpProtocolBuilder(newHost, newPort, connectTimeout, responseTimeout, tlsTrust);
    }

    public PosTcpProtocolBuilder connectTimeout(Duration timeout) {
        return new PosTcpProtocolBuilder(host, port, timeout, responseTimeout, tlsTrust);
    }

    public PosTcpProtocolBuilder responseTimeout(Duration timeout) {
        return new PosTcpProtocolBuilder(host, port, connectTimeout, timeout, tlsTrust);
    }

    /**
     * Connects over TLS (1.2 or 1.3) trusting the CA certificates in {@code trustPem}, e.g. the
     * gateway's development terminal TLS CA {@code data.dir/tls/ca.crt}; null for plain TCP.
     */
    public PosTcpProtocolBuilder tls(Path trustPem) {
        return new PosTcpProtocolBuilder(host, port, connectTimeout, responseTimeout, trustPem);
    }

    @Override
    public Protocol protocol() {
        requireLoopback(host);
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        return new PosTcpProtocol(host, port, connectTimeout, responseTimeout, tlsTrust);
    }

    // A load generator pointed at a real acquirer host by mistake is an incident: refuse it.
    private static void requireLoopback(String host) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException(host + " is not a loopback address");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }
}
