package dev.posgate.terminal.net;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;

/**
 * How a terminal connects to the gateway's TLS listener: the CA certificates it trusts (PEM),
 * and optionally its own client certificate and key (PEM) for listeners that require one. The
 * gateway's name or address is checked against its certificate, as HTTPS does.
 */
public record TerminalTls(Path trustPem, Path certPem, Path keyPem) {

    public TerminalTls {
        if (trustPem == null) throw new IllegalArgumentException("a TLS terminal needs the CA certificates it trusts");
        if ((certPem == null) != (keyPem == null)) throw new IllegalArgumentException("client certificate and key go together");
    }

    /** Server authentication only. */
    public static TerminalTls trusting(Path trustPem) {
        return new TerminalTls(trustPem, null, null);
    }

    public TerminalTls withClientCertificate(Path cert, Path key) {
        return new TerminalTls(trustPem, cert, key);
    }

    NetClientOptions apply(NetClientOptions options) {
        options.setSsl(true)
                .setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PemTrustOptions().addCertPath(trustPem.toString()));
        options.addEnabledSecureTransportProtocol("TLSv1.3").addEnabledSecureTransportProtocol("TLSv1.2");
        if (certPem != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPem.toString()).setKeyPath(keyPem.toString()));
        }
        return options;
    }
}
