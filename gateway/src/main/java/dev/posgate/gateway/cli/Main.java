package dev.posgate.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code posgate}: the gateway's command line. */
@Command(
        name = "posgate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Terminal-access gateway for POS fleets (POSP + TMS + KMS).",
        subcommands = {ServeCommand.class, TerminalCommand.class, CaCommand.class, LoadingCommand.class, PsamCommand.class, IcCommand.class, TmsCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, for launchers that add commands of their own (dev-tools' DevMain). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"posgate " + (v == null ? "development" : v)};
        }
    }
}
