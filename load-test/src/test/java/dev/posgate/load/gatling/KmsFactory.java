package dev.posgate.load.gatling;

import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.KmsTerminalSession;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The factory side of a fleet bootstrap, before the run and off Gatling's event loop (the RSA
 * work): the posgate CA root that terminals burn in ({@code data.dir/ca/root.crt}), the KMS
 * certificate fetched with one K1 and verified against it, an operator and an administrator card
 * issued with {@code posgate ca issue-card}, a TK generated per terminal and sealed for the KMS
 * key, and the operator terminal's batches (CMS SignedData by both cards, 1000 terminals at most
 * each, docs/kms.md) uploaded through {@code POST /api/kms/batches}.
 */
final class KmsFactory {
    private static final String PIN = "posgate-dev";
    private static final int BATCH_MAX = 1000;

    private KmsFactory() {
    }

    /** A device per serial, in order, whose TK is on file at the KMS. */
    static List<KmsDevice> bootstrap(Path gatewayJar, Path caDir, Path work, int gatewayPort, AdminClient admin,
            List<String> serials) {
        try {
            X509Certificate root = certificate(caDir.resolve("root.crt"));
            CertificateVerifier verifier = CertificateVerifier.trusting(root);
            X509Certificate kms = KmsTerminalSession.onK1(k1(gatewayPort, serials.get(0)), verifier, Instant.now());
            Card operator = issueCard(gatewayJar, caDir, work, "operator");
            Card administrator = issueCard(gatewayJar, caDir, work, "administrator");
            RandomSource random = RandomSource.secure();
            // SM4 terminals (-Dsm4.share): the SM2 KMS certificate (K1 with DF07 = 02) under the SM2 root
            byte[] smPoint = null;
            if (java.util.stream.IntStream.rangeClosed(1, serials.size()).anyMatch(LoadSettings::isSm4)) {
                CertificateVerifier sm2 = CertificateVerifier.trusting(certificate(caDir.resolve(SM2_ROOT_FILE)));
                X509Certificate smKms = KmsTerminalSession.onK1(k1(gatewayPort, serials.get(0), true), sm2, Instant.now());
                smPoint = org.bouncycastle.asn1.x509.Certificate.getInstance(smKms.getEncoded())
                        .getSubjectPublicKeyInfo().getPublicKeyData().getOctets();
            }
            List<KmsDevice> devices = new ArrayList<>();
            List<String> tdesSerials = new ArrayList<>();
            List<KmsDevice> tdesDevices = new ArrayList<>();
            List<String> smSerials = new ArrayList<>();
            List<KmsDevice> smDevices = new ArrayList<>();
            for (int i = 0; i < serials.size(); i++) {
                boolean sm4 = LoadSettings.isSm4(i + 1);
                KmsDevice d = sm4 ? KmsDevice.sm4(smPoint, random) : new KmsDevice(kms.getPublicKey(), random);
                devices.add(d);
                (sm4 ? smSerials : tdesSerials).add(serials.get(i));
                (sm4 ? smDevices : tdesDevices).add(d);
            }
            upload(admin, "LOAD-", tdesSerials, tdesDevices, operator, administrator);
            upload(admin, "LOAD-SM-", smSerials, smDevices, operator, administrator);
            System.out.println("TK batch of " + serials.size() + " terminals on file at the KMS (" + smSerials.size() + " SM4)");
            return devices;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The SM2 root of the development CA (KmsModule.SM2_ROOT), which SM4 terminals burn in. */
    static final String SM2_ROOT_FILE = "sm2-root.crt";

    private static void upload(AdminClient admin, String prefix, List<String> serials, List<KmsDevice> devices,
            Card operator, Card administrator) throws IOException, GeneralSecurityException {
        for (int from = 0; from < serials.size(); from += BATCH_MAX) {
            int to = Math.min(serials.size(), from + BATCH_MAX);
            byte[] content = content(prefix + (from / BATCH_MAX + 1), serials.subList(from, to), devices.subList(from, to));
            admin.uploadTkBatch(sign(content, List.of(operator, administrator)));
        }
    }

    static X509Certificate certificate(Path der) throws IOException, GeneralSecurityException {
        // protocols's parser: the JDK's, or BouncyCastle's for an SM2 certificate (the SM2 root)
        try {
            return CertificateVerifier.parse(Files.readAllBytes(der));
        } catch (dev.posgate.protocol.pki.CertificateRejectedException e) {
            throw new java.security.cert.CertificateException(der + ": " + e.getMessage(), e);
        }
    }

    /** One K1 over a blocking socket: the KMS certificate for the whole factory. */
    private static TmsMessage k1(int port, String sn) throws IOException {
        return k1(port, sn, false);
    }

    /** {@code sm}: K1 for the SM2 KMS certificate (DF07 = 02). */
    private static TmsMessage k1(int port, String sn, boolean sm) throws IOException {
        TmsMessage request = new KmsTerminalSession(sn, null, 1, null, null).k1(sm);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(FrameEncoder.encode(request.pack()));
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] body = new byte[in.readUnsignedShort()];
            in.readFully(body);
            return TmsMessage.unpack(body);
        }
    }

    private record Card(PrivateKey key, X509Certificate certificate) {
    }

    private static Card issueCard(Path jar, Path caDir, Path work, String role)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path p12 = work.resolve(role + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toString(), "dev.posgate.gateway.cli.Main", "ca", "issue-card", "--ca-dir", caDir.toString(),
                "--role", role, "--holder", "load-" + role, "--out", p12.toString(), "--days", "2")
                .redirectErrorStream(true).redirectOutput(work.resolve("issue-" + role + ".log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("posgate ca issue-card --role " + role + " failed; see " + work);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PIN.toCharArray());
        }
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                return new Card((PrivateKey) ks.getKey(alias, PIN.toCharArray()), (X509Certificate) ks.getCertificate(alias));
            }
        }
        throw new IOException(p12 + " holds no key entry");
    }

    private static byte[] content(String order, List<String> serials, List<KmsDevice> devices) {
        StringBuilder json = new StringBuilder("{\"productionOrder\":\"").append(order).append("\",\"terminals\":[");
        for (int i = 0; i < serials.size(); i++) {
            if (i > 0) json.append(',');
            json.append("{\"sn\":\"").append(serials.get(i)).append("\",\"tkBlock\":\"")
                    .append(Base64.getEncoder().encodeToString(devices.get(i).tkBlock())).append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** CMS SignedData, content encapsulated, one SHA256withRSA signer per card with its certificate (as pos-terminal's TkBatch). */
    private static byte[] sign(byte[] content, List<Card> cards) throws IOException, GeneralSecurityException {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            for (Card c : cards) {
                gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(c.key()), c.certificate()));
            }
            gen.addCertificates(new JcaCertStore(cards.stream().map(Card::certificate).toList()));
            return gen.generate(new CMSProcessableByteArray(content), true).getEncoded();
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cms.CMSException e) {
            throw new GeneralSecurityException("cannot sign the batch: " + e.getMessage(), e);
        }
    }
}
