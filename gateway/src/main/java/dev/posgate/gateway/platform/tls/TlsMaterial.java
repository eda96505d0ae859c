package dev.posgate.gateway.platform.tls;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.platform.secrets.SecretFile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * Resolves the TLS listener's certificate and trust from the configuration. With no configured
 * certificate, development material is created on first run under {@code data.dir/tls}, like the
 * development LMK: the terminal TLS CA ({@code terminal-tls.p12}, its certificate as
 * {@code ca.crt} for terminals), and {@code server.crt}/{@code server.key} issued by it.
 * Blocking (files, RSA): call it on a worker thread.
 */
public final class TlsMaterial {
    private static final int SERVER_DAYS = 825;

    private TlsMaterial() {}

    public static TlsListener resolve(GatewayConfig config) throws IOException {
        ClientAuth clientAuth = clientAuth(config.string(Setting.LISTENER_TLS_CLIENT_AUTH));
        String cert = config.string(Setting.LISTENER_TLS_CERT);
        String key = config.string(Setting.LISTENER_TLS_KEY);
        String trust = config.string(Setting.LISTENER_TLS_TRUST);
        if (cert.isEmpty() != key.isEmpty()) {
            throw new IllegalArgumentException(Setting.LISTENER_TLS_CERT.key() + " and " + Setting.LISTENER_TLS_KEY.key()
                    + " must be set together");
        }
        Path dev = devDir(config);
        Path certFile = cert.isEmpty() ? dev.resolve("server.crt") : Path.of(cert);
        Path keyFile = key.isEmpty() ? dev.resolve("server.key") : Path.of(key);
        if (cert.isEmpty() || (trust.isEmpty() && clientAuth != ClientAuth.NONE)) createDevelopmentMaterial(dev);
        PemKeyCertOptions keyCert = new PemKeyCertOptions()
                .addCertValue(Buffer.buffer(Files.readAllBytes(certFile)))
                .addKeyValue(Buffer.buffer(Files.readAllBytes(keyFile)));
        PemTrustOptions trustOptions = null;
        if (clientAuth != ClientAuth.NONE) {
            Path trustFile = trust.isEmpty() ? dev.resolve("ca.crt") : Path.of(trust);
            trustOptions = new PemTrustOptions().addCertValue(Buffer.buffer(Files.readAllBytes(trustFile)));
        }
        SSLEngineOptions engine = TlsEngine.choose();
        return new TlsListener(keyCert, trustOptions, clientAuth, engine, TlsEngine.name(engine));
    }

    /** The directory of the development material and CA. */
    public static Path devDir(GatewayConfig config) {
        return config.dataDir().resolve("tls");
    }

    /** The development terminal TLS CA (created if missing): issues terminal client certificates in tests and labs. */
    public static CertificateAuthority developmentCa(Path devDir) throws IOException {
        CertificateAuthority ca = new CaStore(devDir).terminalTls();
        Path caPem = devDir.resolve("ca.crt");
        if (!Files.exists(caPem)) Files.writeString(caPem, pem(ca.root()));
        return ca;
    }

    private static synchronized void createDevelopmentMaterial(Path dir) throws IOException {
        CertificateAuthority ca = developmentCa(dir);
        Path crt = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        if (Files.exists(crt) && Files.exists(key)) return;
        KeyPair kp = CertificateAuthority.rsa2048();
        X509Certificate server = ca.issueTls("posgate gateway", kp.getPublic(), true, List.of("localhost", "127.0.0.1"),
                SERVER_DAYS);
        SecretFile.write(key, pem(new JcaPKCS8Generator(kp.getPrivate(), null)));
        // chain: the leaf, then the CA, so that terminals holding only ca.crt can build the path
        Files.writeString(crt, pem(server) + pem(ca.root()));
    }

    static ClientAuth clientAuth(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> ClientAuth.NONE;
            case "request" -> ClientAuth.REQUEST;
            case "required" -> ClientAuth.REQUIRED;
            default -> throw new IllegalArgumentException(Setting.LISTENER_TLS_CLIENT_AUTH.key()
                    + " must be none, request or required, not " + value);
        };
    }

    public static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            if (o instanceof PemObjectGenerator g) p.writeObject(g);
            else p.writeObject(o);
        }
        return w.toString();
    }
}
