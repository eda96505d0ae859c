package dev.posgate.devtools;

import dev.posgate.gateway.cli.Main;
import dev.posgate.hsm.sim.HsmSimMain;
import picocli.CommandLine;

/**
 * {@code bin/posgate}: the gateway's command line plus the development tools that the production
 * jar does not carry — the bundled software HSM that {@code serve} starts when {@code hsm.hosts}
 * is empty (found on this class path), the standalone software HSM ({@code hsm-sim}), the upstream
 * host simulator ({@code upstream-sim}) and the raw framed echo server of the benchmarks
 * ({@code bench-echo-server}), and {@code demo}: all of it with a simulated fleet (docs/getting-started.md).
 */
public final class DevMain {

    private DevMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The gateway's command line plus the development tools (tests set its writers). */
    public static CommandLine commandLine() {
        return Main.commandLine()
                .addSubcommand(new DemoCommand())
                .addSubcommand(new PosSimCommand())
                .addSubcommand(new UpstreamSimCommand())
                .addSubcommand(new BenchEchoServerCommand())
                .addSubcommand(new BenchEchoLoadCommand())
                .addSubcommand(new HsmSimMain())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
