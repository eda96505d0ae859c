package dev.posgate.hsm.sim;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Standalone software HSM:
 * {@code hsm-sim --port 1500 --lmk-file hsm-lmk.txt --header-length 4 [--dev] [--allow-clear-components]
 * [--tls-cert c.pem --tls-key k.pem --tls-client-ca ca.pem] [--authorise A8,GI --authorise-minutes 15]}.
 */
@Command(name = "hsm-sim", mixinStandardHelpOptions = true, version = "posgate hsm-sim " + HsmSimConfig.FIRMWARE,
        description = "Software HSM speaking payShield-style host commands (see docs/hsm-protocol.md).")
public final class HsmSimMain implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;


    @Option(names = "--host", description = "Listen address (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "Listen port (default ${DEFAULT-VALUE}).")
    int port = 1500;

    @Option(names = "--header-length", description = "Message header length echoed back (default ${DEFAULT-VALUE}).")
    int headerLength = 4;

    @Option(names = "--max-frame", description = "Largest request frame in bytes (default ${DEFAULT-VALUE}).")
    int maxFrame = 65535;

    @Option(names = "--lmk-file", description = "LMK file; generated on first run with --dev.")
    Path lmkFile;

    @Option(names = "--lmk-env", description = "Environment variable holding the LMK, checked before the file "
            + "(default ${DEFAULT-VALUE}).")
    String lmkEnv = HsmSimConfig.DEFAULT_LMK_ENV;

    @Option(names = "--dev", description = "Development mode: generate a missing LMK file.")
    boolean development;

    @Option(names = "--allow-clear-components", negatable = true,
            description = "Enable the key ceremony command ZW (form a key from clear components). Default: off, also with --dev.")
    Boolean allowClearComponents;

    @Option(names = "--disable", split = ",", description = "Commands to answer with error 68, e.g. --disable ZW,GI.")
    List<String> disabled = List.of();

    @Option(names = "--profile", description = "posgate (default: posgate's extension commands too) or payshield: "
            + "standard payShield commands and key types only, extensions answered 68 (docs/hsm-protocol.md, HSM profiles).")
    String profile = "posgate";

    @Option(names = "--workers", description = "Worker threads for RSA commands (default: CPU count).")
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Option(names = "--tls-cert", description = "PEM certificate chain: hosts must connect with TLS and a client "
            + "certificate issued by --tls-client-ca (mutual TLS). Without it, anyone reaching the port is a host.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", description = "PEM CA certificate(s) that issue the hosts' client certificates.")
    Path tlsClientCa;

    @Option(names = "--authorise", split = ",", description = "Enter the authorised state for these commands (A6, A8, GI, SV, ST, WO: "
            + "key import/export under a caller's key) for --authorise-minutes; an operator action.")
    List<String> authorise = List.of();

    @Option(names = "--authorise-minutes", description = "Duration of the authorised state (default ${DEFAULT-VALUE}).")
    int authoriseMinutes = 15;

    @Override
    public Integer call() throws Exception {
        HsmSimConfig.Builder b = HsmSimConfig.builder().host(host).port(port).headerLength(headerLength)
                .maxFrameBytes(maxFrame).lmkFile(lmkFile).lmkEnvVar(lmkEnv).development(development).workerPoolSize(workers);
        if (allowClearComponents != null) {
            b.allowClearComponents(allowClearComponents);
        }
        disabled.forEach(b::disableCommand);
        try {
            b.profile(dev.posgate.hsm.HsmProfile.of(profile));
        } catch (IllegalArgumentException e) {
            System.err.println("hsm-sim: " + e.getMessage());
            return 2;
        }
        if (!authorise.isEmpty()) {
            b.authorisation(Authorisation.of(java.util.Set.copyOf(authorise), java.time.Duration.ofMinutes(authoriseMinutes)));
        }
        if (tlsCert != null || tlsKey != null || tlsClientCa != null) {
            if (tlsCert == null || tlsKey == null || tlsClientCa == null) {
                spec.commandLine().getErr().println("hsm-sim: --tls-cert, --tls-key and --tls-client-ca go together");
                return 2;
            }
            b.mutualTls(new HsmSimConfig.MutualTls(new io.vertx.core.net.PemKeyCertOptions()
                    .setCertPath(tlsCert.toString()).setKeyPath(tlsKey.toString()),
                    new io.vertx.core.net.PemTrustOptions().addCertPath(tlsClientCa.toString())));
        }
        HsmSimConfig config = b.build();
        Vertx vertx = Vertx.vertx();
        HsmSimulator sim;
        try {
            sim = HsmSimulator.start(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            spec.commandLine().getErr().println("hsm-sim: cannot start: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 1;
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                sim.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // shutting down anyway
            }
            done.countDown();
        }, "hsm-sim-shutdown"));
        done.await();
        return 0;
    }

    public static void main(String[] args) {
        int rc = new CommandLine(new HsmSimMain()).execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }
}
