package dev.posgate.terminal.kms;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.RandomSource;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.net.TerminalTls;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.protocol.loader.DeviceIdentity;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The terminal-side KMS command line (docs/kms.md): a simulated terminal at the factory, the
 * operator terminal, and the K- and L-flows against a running gateway.
 */
@Command(name = "posgate-terminal-kms", mixinStandardHelpOptions = true,
        description = "Factory TK generation, operator batch, remote TMK download and key loading.",
        subcommands = {KmsTerminalCli.Factory.class, KmsTerminalCli.OperatorBatch.class, KmsTerminalCli.TmkDownload.class,
                KmsTerminalCli.KeyLoad.class})
public final class KmsTerminalCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new KmsTerminalCli()).execute(args);
    }

    static final class Gateway {
        @Option(names = "--gateway", defaultValue = "127.0.0.1:8583", description = "Gateway host:port (default: ${DEFAULT-VALUE}).")
        String target;
        @Option(names = "--tls-trust", description = "Connect over TLS, trusting the CA certificates in this PEM file (the gateway's listener.tls.port).")
        Path tlsTrust;
        @Option(names = "--tls-cert", description = "PEM client certificate for a TLS listener that requires one (with --tls-key).")
        Path tlsCert;
        @Option(names = "--tls-key", description = "PEM private key of --tls-cert.")
        Path tlsKey;

        TerminalTls tls() {
            if (tlsTrust == null) return null;
            TerminalTls tls = TerminalTls.trusting(tlsTrust);
            return tlsCert == null && tlsKey == null ? tls : tls.withClientCertificate(tlsCert, tlsKey);
        }

        <T> T run(Function<TerminalLink, Future<T>> flow) throws Exception {
            int colon = target.lastIndexOf(':');
            Vertx vertx = Vertx.vertx();
            try {
                return TerminalLink.connect(vertx, target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)),
                                Duration.ofSeconds(15), tls())
                        .compose(link -> flow.apply(link).eventually(link::close))
                        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } finally {
                vertx.close();
            }
        }
    }

    static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Command(name = "factory", mixinStandardHelpOptions = true,
            description = "Simulated terminal at the factory: K1, guarded TK generation, terminal output file.")
    static final class Factory implements Callable<Integer> {
        @CommandLine.Mixin Gateway gateway;
        @Option(names = "--root", required = true, description = "posgate CA root certificate (HsmRCRT, DER).") Path root;
        @Option(names = "--sn", required = true, description = "Terminal serial number.") String sn;
        @Option(names = "--sn-pinpad", description = "External PIN pad serial.") String snPinpad;
        @Option(names = "--device-dir", defaultValue = "devices", description = "Simulated PIN pad images (default: ${DEFAULT-VALUE}).") Path devices;
        @Option(names = "--out", defaultValue = "outputs", description = "Directory for <sn>.tk.json (default: ${DEFAULT-VALUE}).") Path out;
        @Option(names = "--volts", defaultValue = "5.0", description = "Simulated supply voltage.") double volts;
        @Option(names = "--celsius", defaultValue = "25", description = "Simulated temperature.") double celsius;
        @Option(names = "--cover-open", description = "Simulate an opened cover.") boolean coverOpen;

        @Override
        public Integer call() throws Exception {
            CertificateVerifier verifier = CertificateVerifier.trusting(certificate(root));
            X509Certificate kms = gateway.run(link -> KmsClient.certificate(link, sn, verifier));
            TransmissionKeyVault vault = new TransmissionKeyVault(new PinPad());
            TkGenerationGuard guard = new TkGenerationGuard(vault, () -> new SensorReadings(!coverOpen, volts, celsius),
                    SelfCheck.passing(), TkGenerationGuard.SafeRanges.defaults(), RandomSource.secure());
            byte[] block;
            try {
                block = guard.generate(kms.getEncoded(), verifier, Instant.now());
            } catch (TkGenerationRefusedException e) {
                System.err.println("TK generation refused: " + e.getMessage());
                return 2;
            }
            SimulatedDeviceImage.save(devices.resolve(sn + ".device.json"), sn, vault);
            Files.createDirectories(out);
            JsonObject o = new JsonObject().put("sn", sn).put("tkBlock", Base64.getEncoder().encodeToString(block));
            if (snPinpad != null) o.put("snPinpad", snPinpad);
            Files.writeString(out.resolve(sn + ".tk.json"), o.encodePrettily(), StandardCharsets.UTF_8);
            System.out.println("TK generated for " + sn + " -> " + out.resolve(sn + ".tk.json"));
            return 0;
        }
    }

    @Command(name = "operator-batch", mixinStandardHelpOptions = true,
            description = "Operator terminal: sign terminal outputs with the operator and administrator cards, optionally upload.")
    static final class OperatorBatch implements Callable<Integer> {
        @Option(names = "--root", required = true, description = "posgate CA root certificate (DER).") Path root;
        @Option(names = "--operator", required = true, description = "Operator card (PKCS#12).") Path operator;
        @Option(names = "--administrator", required = true, description = "Administrator card (PKCS#12).") Path administrator;
        @Option(names = "--pin", defaultValue = "posgate-dev", description = "Card PIN (PKCS#12 password).") String pin;
        @Option(names = "--order", required = true, description = "Production order id.") String order;
        @Option(names = "--out", defaultValue = "batch.p7m", description = "CMS file to write (default: ${DEFAULT-VALUE}).") Path out;
        @Option(names = "--upload", description = "Admin API base URL to upload to, e.g. http://127.0.0.1:8080.") String upload;
        @Option(names = "--token", defaultValue = "${env:POSGATE_ADMIN_TOKEN}", description = "Admin bearer token.") String token;
        @Parameters(description = "Terminal output files (<sn>.tk.json).") List<Path> outputs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            OperatorTerminal ot = new OperatorTerminal(CertificateVerifier.trusting(certificate(root)), order);
            for (Path p : outputs) {
                JsonObject o = new JsonObject(Files.readString(p, StandardCharsets.UTF_8));
                ot.collect(new TerminalOutput(o.getString("sn"), o.getString("snPinpad"), Base64.getDecoder().decode(o.getString("tkBlock"))));
            }
            byte[] batch = ot.signedBatch(Card.load(operator, pin.toCharArray()), Card.load(administrator, pin.toCharArray()), Instant.now());
            Files.write(out, batch);
            System.out.println("batch of " + outputs.size() + " terminals -> " + out);
            if (upload == null) return 0;
            java.net.URI uri = java.net.URI.create(upload);
            Vertx vertx = Vertx.vertx();
            try {
                BatchUploader.Result r = BatchUploader.upload(vertx, uri.getHost(), uri.getPort(), token, batch)
                        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                System.out.println(r.status() + " " + r.body().encode());
                return r.status() == 200 ? 0 : 1;
            } finally {
                vertx.close();
            }
        }
    }

    @Command(name = "tmk-download", mixinStandardHelpOptions = true, description = "Remote TMK download K2-K4 with the TK from the factory.")
    static final class TmkDownload implements Callable<Integer> {
        @CommandLine.Mixin Gateway gateway;
        @Option(names = "--sn", required = true) String sn;
        @Option(names = "--sn-pinpad") String snPinpad;
        @Option(names = "--index", defaultValue = "1", description = "PIN pad key index (default: ${DEFAULT-VALUE}).") int index;
        @Option(names = "--device-dir", defaultValue = "devices") Path devices;

        @Override
        public Integer call() throws Exception {
            PinPad pad = new PinPad();
            TransmissionKeyVault vault = new TransmissionKeyVault(pad);
            SimulatedDeviceImage.load(devices.resolve(sn + ".device.json"), vault);
            byte[] kcv = gateway.run(link -> KmsClient.downloadTmk(link, sn, snPinpad, index, vault));
            System.out.println("TMK installed in slot " + index + ", KCV " + Hex.encode(kcv));
            return 0;
        }
    }

    @Command(name = "key-load", mixinStandardHelpOptions = true, description = "Certificate-based TMK loading L1-L3.")
    static final class KeyLoad implements Callable<Integer> {
        @CommandLine.Mixin Gateway gateway;
        @Option(names = "--sn", required = true) String sn;
        @Option(names = "--acquirer-root", required = true, description = "The acquirer root the terminal trusts (AcquireRCRT, DER).") Path root;
        @Option(names = "--index", defaultValue = "1") int index;
        @Option(names = "--device-cert", description = "PKCS#12 with the terminal's device certificate and key (sent as DF2A/DF2B).")
        Path deviceCert;
        @Option(names = "--device-pin", defaultValue = "posgate-dev", description = "Password of --device-cert (default: ${DEFAULT-VALUE}).")
        String devicePin;

        @Override
        public Integer call() throws Exception {
            PinPad pad = new PinPad();
            CertificateVerifier verifier = CertificateVerifier.trusting(certificate(root));
            DeviceIdentity device = null;
            if (deviceCert != null) {
                Card c = Card.load(deviceCert, devicePin.toCharArray());
                device = new DeviceIdentity(c.certificate(), c.privateKey());
            }
            DeviceIdentity d = device;
            byte[] kcv = gateway.run(link -> KeyLoaderClient.loadTmk(link, sn, index, verifier, pad, d));
            System.out.println("TMK installed in slot " + index + ", KCV " + Hex.encode(kcv));
            return 0;
        }
    }
}
