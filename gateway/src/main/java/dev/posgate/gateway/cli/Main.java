package dev.posgate.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code posgate}: the gateway's command line. Errors are handled here, for every command
 * (docs/cli.md, "Errors"): a failure is one line on stderr, {@code posgate: <what failed>: <what
 * to check>}, and a non-zero exit (1 for a failed command, 2 for a wrong command line); never a
 * stack trace. An unknown subcommand is an error even with {@code --help}.
 */
@Command(
        name = "posgate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Terminal-access gateway for POS fleets (POSP + TMS + KMS).",
        footer = {"", "Environment: POSGATE_ADMIN_URL (--admin), POSGATE_ADMIN_TOKEN (--token),",
                "POSGATE_DATA_DIR (--data-dir; serve: data.dir). See docs/cli.md."},
        subcommands = {ServeCommand.class, TerminalCommand.class, CaCommand.class, LoadingCommand.class, PsamCommand.class, IcCommand.class, TmsCommand.class,
                PospCommand.class, KmsCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, for launchers that add commands of their own (dev-tools' DevMain). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(Main::execute);
        cl.setParameterExceptionHandler(Main::parameterError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("posgate: " + describe(e));
            cmd.getErr().flush();
            return e instanceof CliException c ? c.exitCode() : 1;
        });
        return cl;
    }

    /**
     * Picocli tolerates unmatched arguments when a help option is given ({@code posgate terminal
     * bogus --help} would print terminal's usage and exit 0); here they are an error all the same.
     */
    private static int execute(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (!p.unmatched().isEmpty()) throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static int parameterError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "' (commands: "
                    + String.join(", ", cmd.getSubcommands().values().stream().map(CommandLine::getCommandName).distinct().toList()) + ")";
        }
        cmd.getErr().println("posgate: " + (name.equals("posgate") ? "" : name.substring("posgate ".length()) + ": ")
                + message + "; see '" + name + " --help'");
        cmd.getErr().flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** One line: the CLI's own message, else the exception's kind and message (and its cause's). */
    static String describe(Throwable e) {
        if (e instanceof CliException) return e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException n) return "no such file: " + n.getFile();
        if (e instanceof java.nio.file.AccessDeniedException a) return "permission denied: " + a.getFile();
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            if (b.length() > 0) b.append(": ");
            b.append(t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage());
        }
        return b.toString().replaceAll("\\s+", " ");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"posgate " + (v == null ? "development" : v)};
        }
    }

}
