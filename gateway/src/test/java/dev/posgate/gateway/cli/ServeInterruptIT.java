package dev.posgate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ctrl-C in a terminal running {@code posgate serve}: the terminal sends SIGINT to the whole
 * foreground process group. The gateway stops in order (its shutdown hook drains and closes the
 * pool) and the embedded PostgreSQL stops only after it: no {@code 57P01} "terminating connection
 * due to administrator command", no stack trace, and no postmaster left behind. SIGTERM the same.
 * The child runs in a session of its own ({@code setsid}), its SIGINT disposition reset to the
 * default ({@code env --default-signal}: a JVM started from a non-interactive shell in the
 * background inherits SIGINT ignored, and would not react to it at all).
 */
class ServeInterruptIT {

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalToTheProcessGroupStopsTheGatewayAndItsDatabaseInOrder(String signal, int exit, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("gateway.properties");
        Files.writeString(config, Setting.DATA_DIR.key() + "=" + dir.resolve("var") + "\n"
                + Setting.LISTENER_PORT.key() + "=0\n" + Setting.ADMIN_PORT.key() + "=0\n");
        ProcessBuilder pb = new ProcessBuilder(List.of("setsid", "env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "-c", config.toString()))
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("POSGATE_"));
        Process p = pb.start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Integer> ready = new CompletableFuture<>(); // the output's length at the ready line
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                        if (line.startsWith("posgate ready")) ready.complete(output.length());
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
            ready.complete(-1);
        }, "serve-output");
        pump.setDaemon(true);
        pump.start();
        try {
            int readyAt = ready.get(150, TimeUnit.SECONDS);
            assertTrue(readyAt > 0, "serve did not start:\n" + output);
            // as a terminal's Ctrl-C does: the signal to the process group (setsid made the JVM its leader)
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, "--", "-" + p.pid()).inheritIO().start().waitFor());
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "serve did not stop on SIG" + signal);
            pump.join(TimeUnit.SECONDS.toMillis(30));
            String after;
            synchronized (output) {
                after = output.substring(readyAt);
            }
            assertEquals(exit, p.exitValue(), "exit status after SIG" + signal + ":\n" + after);
            assertTrue(after.contains("gateway stopped"), after);
            assertFalse(after.contains("57P01") || after.contains("Exception") || after.contains("\tat ")
                    || after.contains(" ERROR "), "a clean stop:\n" + after);
            assertFalse(Files.exists(dir.resolve("var/pg/postmaster.pid")), "the embedded PostgreSQL stopped with the gateway");
        } finally {
            if (p.isAlive()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).inheritIO().start().waitFor();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            Path pid = dir.resolve("var/pg/postmaster.pid"); // a postmaster runs in its own session: not reached by the KILL above
            if (Files.exists(pid)) {
                new ProcessBuilder("kill", "-INT", Files.readAllLines(pid).get(0).strip()).inheritIO().start().waitFor();
            }
        }
    }
}
