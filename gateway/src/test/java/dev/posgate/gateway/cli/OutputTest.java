package dev.posgate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How admin-API commands print an answer (docs/cli.md, "Output"): the human rendering of objects,
 * nested objects, arrays and empty ones; {@code --json} as the API sent it; a 204 as a done line;
 * a refusal as one line on stderr whatever the format.
 */
class OutputTest {
    private static final String NL = System.lineSeparator();

    private static String lines(String... lines) {
        return String.join(NL, lines) + NL;
    }

    @Test
    void anObjectIsAlignedKeyValueLines() {
        assertEquals(lines("owner  PSAM", "kcv    08D7B4", "size   42", "gone   -"),
                Output.render("{\"owner\":\"PSAM\",\"kcv\":\"08D7B4\",\"size\":42,\"gone\":null}"));
    }

    @Test
    void nestedObjectsAreFlattenedToDottedKeys() {
        assertEquals(lines("zone            upstream", "zpk.underLmk    U1111", "zpk.kcv         AAAAAA", "zak.kcv         BBBBBB",
                        "zak.meta.since  2026"),
                Output.render("{\"zone\":\"upstream\",\"zpk\":{\"underLmk\":\"U1111\",\"kcv\":\"AAAAAA\"},"
                        + "\"zak\":{\"kcv\":\"BBBBBB\",\"meta\":{\"since\":\"2026\"}}}"));
    }

    @Test
    void anArrayOfObjectsIsATableUnderAHeader() {
        assertEquals(lines("SN       STATUS     RESULT  AT.DAY", "SN-0001  INSTALLED  -       1", "SN-22    OFFERED    5       -"),
                Output.render("[{\"sn\":\"SN-0001\",\"status\":\"INSTALLED\",\"result\":null,\"at\":{\"day\":1}},"
                        + "{\"sn\":\"SN-22\",\"status\":\"OFFERED\",\"result\":5}]"));
        // inside an object: its key, then the table; scalars of the object first
        assertEquals(lines("tid  TERM0001", "bindings:", "CARDNUMBER  UNBOUNDAT", "1234        -"),
                Output.render("{\"bindings\":[{\"cardNumber\":\"1234\",\"unboundAt\":null}],\"tid\":\"TERM0001\"}"));
        assertEquals(lines("accepted  true", "tags      a, b"), Output.render("{\"accepted\":true,\"tags\":[\"a\",\"b\"]}"));
    }

    @Test
    void emptyIsNone() {
        assertEquals(lines("none"), Output.render("[]"));
        assertEquals(lines("none"), Output.render("{}"));
        assertEquals(lines("setHash  00", "entries: none"), Output.render("{\"setHash\":\"00\",\"entries\":[]}"));
        assertEquals(lines("not json"), Output.render("not json"));
    }

    @Test
    void commandsPrintTheRenderingByDefaultAndTheApisJsonWithJson() throws Exception {
        Map<String, String> bodies = Map.of("/api/psam/bindings/TERM0001",
                "{\"tid\":\"TERM0001\",\"bindings\":[{\"cardNumber\":\"1234\",\"actor\":\"ops\"}]}");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            if (x.getRequestMethod().equals("DELETE")) {
                x.sendResponseHeaders(204, -1);
            } else {
                byte[] body = bodies.getOrDefault(path, "{\"error\":\"no such thing\"}").getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(bodies.containsKey(path) ? 200 : 404, body.length);
                x.getResponseBody().write(body);
            }
            x.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            CliRun human = CliRun.of("psam", "history", "--tid", "TERM0001", "--admin", url, "--token", "t");
            assertEquals(0, human.exit(), human.toString());
            assertEquals(lines("tid  TERM0001", "bindings:", "CARDNUMBER  ACTOR", "1234        ops"), human.out());
            // as from a shell: picocli's writer on System.out buffers and flushes on println only, and Main.main exits right after
            java.io.StringWriter unflushed = new java.io.StringWriter();
            picocli.CommandLine cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(new java.io.BufferedWriter(unflushed), true));
            assertEquals(0, cl.execute("psam", "history", "--tid", "TERM0001", "--admin", url, "--token", "t"));
            assertEquals(human.out(), unflushed.toString(), "the command flushed what it printed");
            CliRun json = CliRun.of("psam", "history", "--tid", "TERM0001", "--json", "--admin", url, "--token", "t");
            assertEquals(0, json.exit(), json.toString());
            assertEquals(bodies.get("/api/psam/bindings/TERM0001") + NL, json.out(), "the API's JSON unchanged");
            CliRun unbind = CliRun.of("psam", "unbind", "--tid", "TERM0001", "--admin", url, "--token", "t");
            assertEquals(lines("TERM0001 unbound"), unbind.out());
            assertEquals("", CliRun.of("psam", "unbind", "--tid", "TERM0001", "--json", "--admin", url, "--token", "t").out(),
                    "no body, nothing to print as JSON");
            for (boolean asJson : new boolean[] {false, true}) {
                CliRun refused = asJson ? CliRun.of("psam", "history", "--tid", "NOBODY01", "--json", "--admin", url, "--token", "t")
                        : CliRun.of("psam", "history", "--tid", "NOBODY01", "--admin", url, "--token", "t");
                assertNotEquals(0, refused.exit());
                assertEquals("", refused.out());
                assertTrue(refused.err().strip().equals("posgate: reading the bindings of NOBODY01 failed: HTTP 404 no such thing"),
                        refused.err());
            }
        } finally {
            server.stop(0);
        }
    }
}
