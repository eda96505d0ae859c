package dev.posgate.gateway.platform.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.cli.Main;
import dev.posgate.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API and the CLI over real HTTP against a real gateway and PostgreSQL. */
class AdminApiIT {
    static TestGateway gateway;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    static HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject terminal(String tid, String sn) {
        return new JsonObject().put("tid", tid).put("mid", "898310048990001").put("sn", sn)
                .put("vendor", "ACME").put("model", "P90").put("keyScheme", "TMK");
    }

    @Test
    void healthReadyAndMetricsNeedNoToken() throws Exception {
        assertEquals(200, call("GET", "/health", null, null).statusCode());
        HttpResponse<String> ready = call("GET", "/ready", null, null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", new JsonObject(ready.body()).getString("database"));
        HttpResponse<String> metrics = call("GET", "/metrics", null, null);
        assertTrue(metrics.body().contains("posgate_connections_accepted_total"));
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    /**
     * The admin server speaks HTTP/1.1 only: an h2c upgrade request is answered as HTTP/1.1
     * (with h2c on, the JDK HttpClient's default upgrade stalled requests for good).
     */
    @Test
    void anH2cUpgradeIsAnsweredAsHttp11() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.adminPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 200 OK", status);
        }
    }

    @Test
    void apiRefusesAMissingOrWrongToken() throws Exception {
        assertEquals(401, call("GET", "/api/terminals", null, null).statusCode());
        assertEquals(401, call("GET", "/api/terminals", null, "wrong").statusCode());
    }

    @Test
    void registerGetAndListATerminal() throws Exception {
        String token = gateway.app().adminToken();
        HttpResponse<String> created = call("POST", "/api/terminals", terminal("TERM0100", "SN-0100").encode(), token);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("ACTIVE", new JsonObject(created.body()).getString("status"));
        HttpResponse<String> got = call("GET", "/api/terminals/TERM0100", null, token);
        assertEquals("SN-0100", new JsonObject(got.body()).getString("sn"));
        assertEquals(404, call("GET", "/api/terminals/NOSUCHTM", null, token).statusCode());
        HttpResponse<String> list = call("GET", "/api/terminals?limit=1000", null, token);
        assertTrue(list.body().contains("TERM0100"));
    }

    @Test
    void duplicatesAreConflictsAndInvalidInputIsExplained() throws Exception {
        String token = gateway.app().adminToken();
        assertEquals(201, call("POST", "/api/terminals", terminal("TERM0200", "SN-0200").encode(), token).statusCode());
        assertEquals(409, call("POST", "/api/terminals", terminal("TERM0200", "SN-0201").encode(), token).statusCode());
        assertEquals(409, call("POST", "/api/terminals", terminal("TERM0201", "SN-0200").encode(), token).statusCode());
        HttpResponse<String> bad = call("POST", "/api/terminals", terminal("SHORT", "SN-0202").put("keyScheme", "XYZ").encode(), token);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("tid must be 8"), bad.body());
        assertTrue(bad.body().contains("keyScheme"), bad.body());
        assertEquals(400, call("POST", "/api/terminals", "not json", token).statusCode());
    }

    @Test
    void cliRegistersAndListsThroughTheApi() throws Exception {
        String admin = "http://127.0.0.1:" + gateway.adminPort();
        String token = gateway.app().adminToken();
        assertEquals(0, Main.run("terminal", "register", "--admin", admin, "--token", token, "--tid", "TERM0300",
                "--mid", "898310048990001", "--sn", "SN-0300", "--vendor", "ACME", "--model", "P90", "--key-scheme", "psam"));
        assertEquals(1, Main.run("terminal", "register", "--admin", admin, "--token", token, "--tid", "TERM0300",
                "--mid", "898310048990001", "--sn", "SN-0301", "--vendor", "ACME", "--model", "P90"));
        dev.posgate.gateway.cli.CliRun list = dev.posgate.gateway.cli.CliRun.of("terminal", "list", "--admin", admin, "--token", token,
                "--limit", "2");
        assertEquals(0, list.exit(), list.toString());
        String out = list.out();
        assertTrue(out.contains("TERM0300"), out);
        assertTrue(out.contains("PSAM"), out);
    }
}
