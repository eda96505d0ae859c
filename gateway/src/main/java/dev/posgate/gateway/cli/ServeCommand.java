package dev.posgate.gateway.cli;

import dev.posgate.gateway.app.GatewayApp;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.db.Database;
import dev.posgate.gateway.platform.secrets.DevelopmentKeys;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the gateway until SIGTERM/SIGINT, then drains sessions and stops. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the gateway (embedded PostgreSQL and software HSM unless configured otherwise).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "Properties file (see docs/configuration.md); environment POSGATE_* overrides it "
            + "(e.g. POSGATE_DATA_DIR for data.dir).")
    Path config;

    @Option(names = "--dev", description = "Start even with development keys (bundled HSM's LMK, generated CA or admin "
            + "token) while the admin API, the database or an HSM is beyond loopback. Development and labs only.")
    boolean dev;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GatewayConfig cfg = GatewayConfig.load(config, System.getenv());
        String refusal = DevelopmentKeys.refusal(cfg);
        if (refusal != null && !dev) {
            spec.commandLine().getErr().println("posgate: " + refusal);
            return 2;
        }
        if (refusal != null) spec.commandLine().getErr().println("posgate: WARNING (--dev): " + refusal);
        GatewayApp app;
        try {
            app = GatewayApp.start(cfg).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            spec.commandLine().getErr().println("posgate: failed to start: " + e.getCause().getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.stop().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                spec.commandLine().getErr().println("shutdown incomplete: " + e);
            } finally {
                stopped.countDown();
            }
        }, "posgate-shutdown"));
        Database.stopInOrderAtExit(); // the embedded PostgreSQL stops after the hook above, not under it (Ctrl-C)
        spec.commandLine().getOut().printf("posgate ready: terminals on port %d, admin on port %d%n", app.port(), app.adminPort());
        stopped.await();
        return 0;
    }
}
