package dev.posgate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every CLI failure is one line on stderr and a non-zero exit (docs/cli.md, "Errors"): no admin
 * API, no token, an error answer, an unknown command (with --help too); never a stack trace,
 * nothing on stdout (no table header before the failure).
 */
class CliErrorsTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static void assertOneLine(CliRun r) {
        assertNotEquals(0, r.exit(), r.toString());
        String[] lines = r.err().strip().split("\\R");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("posgate: "), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Commands print through the CommandLine's writers (what CliRun captures), not System.out/err:
     * a local command's output and a refused command line's error both arrive there.
     */
    @Test
    void commandsPrintThroughTheCommandLinesWriters() throws Exception {
        Path dir = Files.createTempDirectory("cli-ca");
        CliRun init = run("ca", "init", "--ca-dir", dir.resolve("ca").toString());
        assertEquals(0, init.exit(), init.toString());
        assertTrue(init.out().startsWith("root ") && init.out().contains("root.crt"), init.out());
        assertEquals("", init.err());
        CliRun update = run("terminal", "update", "--tid", "TERM0001", "--admin", "http://127.0.0.1:1", "--token", "t");
        assertOneLine(update);
        assertEquals(2, update.exit());
        assertTrue(update.err().contains("give --mak-length and/or --key-algorithm"), update.err());
    }

    @Test
    void unreachableAdminApiIsOneLineNamingTheUrlAndWhatToCheck() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        for (String[] cmd : new String[][] {{"terminal", "list"}, {"terminal", "list", "--json"}, {"terminal", "keys", "TERM0001"},
                {"terminal", "show", "TERM0001"}, {"terminal", "disable", "TERM0001"},
                {"terminal", "enable", "TERM0001", "--json"}, {"terminal", "register", "--tid", "TERM0001", "--mid", "898310048990001",
                        "--sn", "SN1", "--vendor", "ACME", "--model", "P100"}, {"psam", "history", "--tid", "TERM0001"},
                {"tms", "status", "--vendor", "V", "--name", "N", "--version", "1"}, {"ic", "behind"},
                {"loading", "list"}, {"ca", "revoke", "--serial", "01"}}) {
            String[] args = new String[cmd.length + 4];
            System.arraycopy(cmd, 0, args, 0, cmd.length);
            System.arraycopy(new String[] {"--admin", url, "--token", "t"}, 0, args, cmd.length, 4);
            CliRun r = run(args);
            assertOneLine(r);
            assertEquals("", r.out(), "nothing on stdout, no table header: " + String.join(" ", cmd));
            assertTrue(r.err().contains("cannot reach the admin API at " + url + " (connection refused)"), r.err());
            assertTrue(r.err().contains("POSGATE_ADMIN_URL") && r.err().contains("posgate serve"), r.err());
        }
    }

    @Test
    void missingTokenNamesTheFileAndTheWaysToGiveOne() throws Exception {
        Path empty = Files.createTempDirectory(Path.of("target"), "cli-no-token-");
        CliRun r = run("terminal", "list", "--admin", "http://127.0.0.1:" + closedPort(), "--data-dir", empty.toString());
        assertOneLine(r);
        assertTrue(r.err().contains("no admin token") && r.err().contains("POSGATE_ADMIN_TOKEN")
                && r.err().contains("POSGATE_DATA_DIR"), r.err());
    }

    @Test
    void errorAnswersAreOneLineWithTheApisMessage() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] body = (x.getRequestURI().getPath().endsWith("/keys")
                    ? "{\"error\":\"no such terminal\"}" : "{\"error\":\"missing or wrong bearer token\"}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(x.getRequestURI().getPath().endsWith("/keys") ? 404 : 401, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            CliRun keys = run("terminal", "keys", "NOBODY01", "--admin", url, "--token", "t");
            assertOneLine(keys);
            assertEquals("", keys.out());
            assertTrue(keys.err().contains("HTTP 404 no such terminal"), keys.err());
            CliRun list = run("terminal", "list", "--admin", url, "--token", "wrong");
            assertOneLine(list);
            assertEquals("", list.out(), "no table header before the failure");
            assertTrue(list.err().contains("HTTP 401") && list.err().contains("POSGATE_ADMIN_TOKEN"), list.err());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unknownSubcommandIsAnErrorEvenWithHelp() {
        for (String[] args : new String[][] {{"terminal", "bogus"}, {"terminal", "bogus", "--help"}, {"bogus"}, {"bogus", "--help"},
                {"tms", "nope", "-h"}}) {
            CliRun r = run(args);
            assertOneLine(r);
            String unknown = args[0].equals("bogus") ? "bogus" : args[1];
            assertTrue(r.err().contains("unknown command '" + unknown + "'"), r.err());
            assertEquals("", r.out(), "no usage printed as if help had been asked: " + String.join(" ", args));
        }
    }

    @Test
    void missingSubcommandOrParameterIsOneLineToo() {
        CliRun noSubcommand = run("ic", "aids");
        assertOneLine(noSubcommand);
        assertTrue(noSubcommand.err().contains("ic aids") && noSubcommand.err().contains("--help"), noSubcommand.err());
        CliRun noTid = run("terminal", "keys");
        assertOneLine(noTid);
        assertTrue(noTid.err().contains("TID"), noTid.err());
        assertEquals("", noTid.out());
    }

    @Test
    void helpShowsTheEnvironmentVariablesNextToTheirFlags() {
        CliRun r = run("terminal", "list", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--admin") && r.out().contains("POSGATE_ADMIN_URL"), r.out());
        assertTrue(r.out().contains("--data-dir") && r.out().contains("POSGATE_DATA_DIR"), r.out());
        assertTrue(r.out().contains("--json"), r.out());
        assertTrue(run("--help").out().contains("POSGATE_ADMIN_URL"));
    }
}
