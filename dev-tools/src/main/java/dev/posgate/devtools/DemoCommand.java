package dev.posgate.devtools;

import dev.posgate.gateway.cli.CliException;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.db.Database;
import dev.posgate.gateway.platform.secrets.DevelopmentKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posgate demo}: the gateway on its embedded defaults, the upstream host simulator and a
 * small simulated fleet living a terminal's whole life ({@link DemoFleet}); live progress, a
 * summary, then the gateway left running for curl and the CLI (docs/getting-started.md).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the gateway (embedded defaults, as serve), the upstream host simulator and a simulated fleet of TDES "
                + "terminals; run each terminal's life: registration, TK upload by the operator terminal, remote TMK download, "
                + "TMS handshake and package download, sign-on, purchases with PIN, a reversal, settlement.",
                "Shows a counter per flow, then a summary; leaves the gateway running (Ctrl-C stops it) unless --exit."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "Properties file, as for serve (docs/configuration.md); POSGATE_* overrides it.")
    Path config;

    @Option(names = "--terminals", defaultValue = "3", description = "Terminals in the fleet, 1..99 (default: ${DEFAULT-VALUE}).")
    int terminals;

    @Option(names = "--purchases", defaultValue = "3", description = "Purchases with PIN per terminal, 1..50 (default: ${DEFAULT-VALUE}).")
    int purchases;

    @Option(names = "--exit", description = "Stop the gateway after the summary; exit 1 when a flow failed.")
    boolean exit;

    @Option(names = "--dev", description = "As serve --dev: start even with development keys beyond loopback.")
    boolean dev;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (terminals < 1 || terminals > 99) throw new CliException("demo: --terminals must be 1..99", 2);
        if (purchases < 1 || purchases > 50) throw new CliException("demo: --purchases must be 1..50", 2);
        PrintWriter out = spec.commandLine().getOut();
        GatewayConfig base = GatewayConfig.load(config, System.getenv());
        String refusal = DevelopmentKeys.refusal(base);
        if (refusal != null && !dev) throw new CliException(refusal, 2);
        if (refusal != null) spec.commandLine().getErr().println("posgate: WARNING (--dev): " + refusal);

        Path log = DemoLog.toFile(base.dataDir());
        out.println("starting the gateway (embedded defaults, data under " + base.dataDir() + ") and the upstream host simulator"
                + (log == null ? "" : "; its log: " + log) + "...");
        out.flush();
        long started = System.nanoTime();
        DemoWorld world;
        try {
            world = DemoWorld.start(base);
        } catch (Exception e) {
            String why = DemoFleet.describe(e);
            throw new CliException("demo: failed to start: " + why + (why.contains("Address already in use")
                    ? ": is `posgate serve` or another demo running? stop it, or give other ports (listener.port, admin.port)" : "")
                    + (log == null ? "" : "; see " + log));
        }
        boolean stopped = false;
        try {
            out.printf("posgate ready: terminals on port %d, admin API %s; running %d terminals...%n",
                    world.app.port(), world.adminUrl(), terminals);
            DemoProgress progress = new DemoProgress(out, System.console() != null);
            String sampleTid = new DemoFleet(world, progress, terminals, purchases).run().get(0).tid;
            progress.finish();
            out.print(progress.summary(terminals, (System.nanoTime() - started) / 1_000_000));
            out.flush();
            if (exit) {
                stopped = true;
                world.close();
                return progress.allOk() ? 0 : 1;
            }
            explore(out, world, sampleTid);
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    world.close();
                } catch (Exception e) {
                    spec.commandLine().getErr().println("shutdown incomplete: " + e);
                } finally {
                    done.countDown();
                }
            }, "posgate-demo-shutdown"));
            Database.stopInOrderAtExit(); // the embedded PostgreSQL waits for the hook above
            stopped = true;
            done.await();
            return progress.allOk() ? 0 : 1;
        } finally {
            if (!stopped) world.close();
        }
    }

    /** What to try next, with the CLI options this gateway needs beyond the CLI's own defaults (environment included). */
    private static void explore(PrintWriter out, DemoWorld world, String tid) {
        String admin = world.adminUrl();
        Path dataDir = world.app.config().dataDir();
        String options = (admin.equals(System.getenv().getOrDefault("POSGATE_ADMIN_URL", "http://127.0.0.1:8080")) ? "" : " --admin " + admin)
                + (dataDir.equals(Path.of(System.getenv().getOrDefault("POSGATE_DATA_DIR", "var"))) ? "" : " --data-dir " + dataDir);
        out.println();
        out.println("The gateway keeps running (Ctrl-C stops it). Admin API: " + admin + " (token in " + dataDir.resolve("admin.token")
                + "). Try:");
        out.println("  bin/posgate terminal list" + options);
        out.println("  bin/posgate terminal keys " + tid + options + "      # its TMK and working keys, its last sign-on");
        out.println("  curl -s " + admin + "/metrics | grep posgate_request_seconds_count");
        out.println("  curl -s -H \"Authorization: Bearer $(cat " + dataDir.resolve("admin.token") + ")\" " + admin + "/api/terminals/" + tid + "/keys");
        out.println("More in docs/getting-started.md.");
        out.flush();
    }
}
