package dev.posgate.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code posgate demo --terminals 2 --exit} as a newcomer runs it (issue 20): the gateway on its
 * embedded defaults in a fresh data directory (embedded PostgreSQL, bundled software HSM, first-run
 * keys), the host simulator, and two terminals through every flow; the summary says every flow ok
 * with the expected counts, and the plain progress lines (no console here) show each flow done.
 */
class DemoIT {

    @Test
    void twoTerminalsRunEveryFlowAndTheSummaryCountsThem() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "demo-");
        Path config = dir.resolve("gateway.properties");
        Files.writeString(config, "data.dir=" + dir.resolve("data") + "\nlistener.host=127.0.0.1\nlistener.port=0\nadmin.port=0\n");
        CommandLine cl = DevMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int exit = cl.execute("demo", "--config", config.toString(), "--terminals", "2", "--purchases", "2", "--exit");

        String printed = out.toString();
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
