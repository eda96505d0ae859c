package dev.posgate.gateway.platform.hsm;

import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.platform.secrets.SecretFile;
import dev.posgate.gateway.platform.tls.TlsMaterial;
import dev.posgate.hsm.pool.HsmPoolConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Mutual TLS between the gateway and its bundled software HSM (docs/hsm-protocol.md, "Host
 * authentication"): on loopback, anyone on the machine could otherwise connect to the HSM port
 * and use every key under the LMK. On first run a one-off link CA issues the HSM's server
 * certificate and the gateway's client certificate, then its private key is dropped, so no
 * further client certificate can ever be issued; the HSM accepts only clients of that CA. Files
 * under {@code data.dir/hsm-tls} (0700), keys 0600. Blocking (files, RSA): call it on a worker.
 */
public final class HsmLinkCredentials {
    public static final String DIR = "hsm-tls";
    private static final int DAYS = 3650;

    private final Buffer ca;
    private final Buffer hsmCert;
    private final Buffer hsmKey;
    private final Buffer gatewayCert;
    private final Buffer gatewayKey;

    private HsmLinkCredentials(Path dir) throws IOException {
        this.ca = read(dir, "ca.crt");
        this.hsmCert = read(dir, "hsm.crt");
        this.hsmKey = read(dir, "hsm.key");
        this.gatewayCert = read(dir, "gateway.crt");
        this.gatewayKey = read(dir, "gateway.key");
    }

    private static Buffer read(Path dir, String file) throws IOException {
        return Buffer.buffer(Files.readAllBytes(dir.resolve(file)));
    }

    /** The credentials in {@code dataDir/hsm-tls}, created if any file is missing. */
    public static HsmLinkCredentials loadOrCreate(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(DIR);
        SecretFile.ownerOnlyDirectory(dir);
        List<String> files = List.of("ca.crt", "hsm.crt", "hsm.key", "gateway.crt", "gateway.key");
        if (!files.stream().allMatch(f -> Files.exists(dir.resolve(f)))) {
            CertificateAuthority ca = CertificateAuthority.createRoot("posgate HSM link CA", 10);
            KeyPair hsm = CertificateAuthority.rsa2048();
            KeyPair gateway = CertificateAuthority.rsa2048();
            SecretFile.write(dir.resolve("hsm.key"), TlsMaterial.pem(new JcaPKCS8Generator(hsm.getPrivate(), null)));
            SecretFile.write(dir.resolve("hsm.crt"), TlsMaterial.pem(
                    ca.issueTls("posgate bundled HSM", hsm.getPublic(), true, List.of("localhost", "127.0.0.1"), DAYS)));
            SecretFile.write(dir.resolve("gateway.key"), TlsMaterial.pem(new JcaPKCS8Generator(gateway.getPrivate(), null)));
            SecretFile.write(dir.resolve("gateway.crt"), TlsMaterial.pem(
                    ca.issueTls("posgate gateway", gateway.getPublic(), false, List.of(), DAYS)));
            SecretFile.write(dir.resolve("ca.crt"), TlsMaterial.pem(ca.root()));
        }
        for (String f : files) SecretFile.ownerOnly(dir.resolve(f));
        return new HsmLinkCredentials(dir);
    }

    /** The key the bundled HSM listens with. */
    public PemKeyCertOptions hsmKey() {
        return new PemKeyCertOptions().addCertValue(hsmCert).addKeyValue(hsmKey);
    }

    /** What the bundled HSM trusts client certificates of: the link CA. */
    public PemTrustOptions clientTrust() {
        return trust();
    }

    /** What the gateway's pool connects with: its client key, and the link CA for the HSM's certificate. */
    public HsmPoolConfig.MutualTls gatewaySide() {
        return new HsmPoolConfig.MutualTls(new PemKeyCertOptions().addCertValue(gatewayCert).addKeyValue(gatewayKey), trust());
    }

    private PemTrustOptions trust() {
        return new PemTrustOptions().addCertValue(ca);
    }
}
