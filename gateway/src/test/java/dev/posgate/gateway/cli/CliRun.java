package dev.posgate.gateway.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the {@code posgate} command line in-process, its stdout and stderr captured. */
public record CliRun(int exit, String out, String err) {

    public static synchronized CliRun of(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new CliRun(exit, o.toString(StandardCharsets.UTF_8), withoutFuzzerNoise(e.toString(StandardCharsets.UTF_8)));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * The fuzz tests' Jazzer agent stays in the test JVM after them and reports each class it
     * instruments on whatever System.err is then, ours included: not the CLI's output.
     */
    private static String withoutFuzzerNoise(String err) {
        return err.replaceAll("(?m)^INFO: Instrumented .* with custom hooks.*\\R", "");
    }
}
