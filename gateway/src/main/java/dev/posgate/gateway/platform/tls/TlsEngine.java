package dev.posgate.gateway.platform.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the OpenSSL engine (netty-tcnative BoringSSL) when its native library loads, else the JDK's. */
final class TlsEngine {
    private static final Logger log = LoggerFactory.getLogger(TlsEngine.class);

    private TlsEngine() {}

    static SSLEngineOptions choose() {
        if (OpenSSLEngineOptions.isAvailable()) return new OpenSSLEngineOptions().setSessionCacheEnabled(true);
        // the JDK engine is correct, only slower: run rather than refuse to start
        log.warn("OpenSSL engine unavailable ({}); the TLS listener uses the JDK engine",
                String.valueOf(OpenSsl.unavailabilityCause()));
        return new JdkSSLEngineOptions();
    }

    static String name(SSLEngineOptions engine) {
        return engine instanceof OpenSSLEngineOptions ? "openssl " + OpenSsl.versionString() : "jdk";
    }
}
