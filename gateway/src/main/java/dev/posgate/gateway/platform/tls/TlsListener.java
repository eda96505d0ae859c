package dev.posgate.gateway.platform.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.util.List;
import java.util.Set;

/**
 * What the TLS terminal listener needs on top of the plain one: its certificate, the CAs of
 * terminal certificates, the client-auth mode and the engine. Resolved once at start-up
 * ({@link TlsMaterial}), then applied to every listener instance's server options.
 */
public record TlsListener(PemKeyCertOptions keyCert, PemTrustOptions trust, ClientAuth clientAuth,
        SSLEngineOptions engine, String engineName) {

    /** TLS 1.3 and 1.2 only; for 1.2 forward-secret AEAD suites only (no CBC, no RSA key exchange). */
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public NetServerOptions apply(NetServerOptions options) {
        options.setSsl(true)
                .setSslEngineOptions(engine.copy())
                .setKeyCertOptions(keyCert.copy())
                .setClientAuth(clientAuth)
                .setEnabledSecureTransportProtocols(PROTOCOLS);
        if (trust != null) options.setTrustOptions(trust.copy());
        CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        return options;
    }
}
