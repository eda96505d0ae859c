package dev.posgate.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.testing.BusinessDayZone;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code posgate demo --terminals 2 --exit} as a newcomer runs it (issue 20), the development
 * launcher's jar in its own JVM (its stdout a pipe, so plain progress lines): the gateway on its
 * embedded defaults in a fresh data directory (embedded PostgreSQL, bundled software HSM, first-run
 * keys), the host simulator, and two terminals through every flow; the summary says every flow ok
 * with the expected counts, and the plain progress lines (no console here) show each flow done.
 */
class DemoIT {

    @Test
    void twoTerminalsRunEveryFlowAndTheSummaryCountsThem() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "demo-");
        Path config = dir.resolve("gateway.properties");
        Files.writeString(config, "data.dir=" + dir.resolve("data") + "\nlistener.host=127.0.0.1\nlistener.port=0\nadmin.port=0\n"
                + "posp.timezone=" + BusinessDayZone.farFromMidnight() + "\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", Path.of("target", "posgate-dev.jar").toString(),
                "demo", "--config", config.toString(), "--terminals", "2", "--purchases", "2", "--exit")
                .redirectError(dir.resolve("stderr.log").toFile()).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
        int exit = p.exitValue();
        String err = Files.readString(dir.resolve("stderr.log"));
        assertEquals(0, exit, printed + err);
        assertTrue(printed.contains("demo summary: 2 terminals"), printed);
        Map<String, Integer> expected = Map.of("register", 2, "tk-upload", 2, "tmk-download", 2, "tms-download", 2, "sign-on", 2,
                "purchase", 4, "reversal", 2, "settlement", 2);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertTrue(printed.lines().anyMatch(l -> l.matches("\\s+" + e.getKey() + "\\s+" + e.getValue() + "\\s+0")),
                    e.getKey() + " ok " + e.getValue() + ", failed 0: " + printed);
            assertTrue(printed.contains(e.getKey() + " " + e.getValue() + "/" + e.getValue()), "progress of " + e.getKey() + ": " + printed);
        }
        assertTrue(printed.contains("all flows ok"), printed);
        assertTrue(!printed.contains("\r"), "no in-place updates without a console");
    }
}
