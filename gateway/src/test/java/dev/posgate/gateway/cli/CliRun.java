package dev.posgate.gateway.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One run of the {@code posgate} command line in-process, what it printed captured from the
 * CommandLine's own writers (every command prints through them, never System.out/err): nothing
 * else the JVM writes on System.err at the time (a fuzzer agent, a logger) gets in.
 */
public record CliRun(int exit, String out, String err) {

    public static CliRun of(String... args) {
        return of(Main.commandLine(), args);
    }

    /** A run of {@code cl} (e.g. dev-tools' command line, which adds commands to {@link Main#commandLine()}). */
    public static CliRun of(CommandLine cl, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int exit = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new CliRun(exit, o.toString(), e.toString());
    }
}
