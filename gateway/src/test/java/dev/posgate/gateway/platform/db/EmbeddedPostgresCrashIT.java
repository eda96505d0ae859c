package dev.posgate.gateway.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.testing.Eventually;
import dev.posgate.gateway.support.GatewayProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash safety of the embedded default (issue 13): the gateway on its embedded PostgreSQL, in its
 * own OS process so that it can really be SIGKILLed, which leaves the postmaster running.
 */
class EmbeddedPostgresCrashIT {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresCrashIT.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;
    private final String token = UUID.randomUUID().toString();
    private final int adminPort = GatewayProcess.freePort();

    private Map<Setting, Object> settings() {
        Map<Setting, Object> s = new EnumMap<>(Setting.class);
        s.put(Setting.DATA_DIR, dir.resolve("data"));
        s.put(Setting.LISTENER_HOST, "127.0.0.1");
        s.put(Setting.LISTENER_PORT, GatewayProcess.freePort());
        s.put(Setting.ADMIN_PORT, adminPort);
        s.put(Setting.ADMIN_TOKEN, token);
        s.put(Setting.LISTENER_INSTANCES, 1);
        return s;
    }

    private Path pgDir() {
        return dir.resolve("data").resolve("pg");
    }

    /** SIGKILL leaves the postmaster behind; the next start stops it and succeeds the first time, five times in a row. */
    @Test
    void everyStartAfterASigkillSucceedsTheFirstTime() throws Exception {
        List<Long> startupMillis = new ArrayList<>();
        for (int run = 1; run <= 5; run++) {
            try (GatewayProcess gateway = GatewayProcess.start(settings(), dir)) {
                startupMillis.add(gateway.startup().toMillis());
                assertEquals(201, register("CRSH000" + run).statusCode(), "the database works after start " + run);
                assertEquals(GatewayProcess.SIGKILL_EXIT, gateway.kill());
            }
            assertTrue(EmbeddedServer.postmaster(pgDir()).isPresent(), "the killed gateway left its postmaster running (run " + run + ")");
        }
        EmbeddedServer.stopStalePostmaster(pgDir());
        log.info("CRASH embedded postgres: 5 SIGKILLs, every next start succeeded; start-up ms {}", startupMillis);
    }

    /** A postmaster that dies while the gateway serves is started again on its port; the gateway reconnects by itself. */
    @Test
    void aPostmasterThatDiesWhileServingIsStartedAgain() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(settings(), dir)) {
            long first = EmbeddedServer.postmaster(pgDir()).orElseThrow().pid();
            assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(first)).start().waitFor());

            Eventually.until("a new postmaster serves the data directory",
                    () -> EmbeddedServer.postmaster(pgDir()).map(p -> p.pid() != first).orElse(false));
            Eventually.until("/ready reports the database UP again", () -> "UP".equals(ready().getString("database")));
            assertEquals(201, register("CRSH0010").statusCode(), "the gateway's pool reconnected to the new postmaster");
            assertNotEquals(first, EmbeddedServer.postmaster(pgDir()).orElseThrow().pid());
            String logText = Files.readString(dir.resolve("gateway.log"));
            assertTrue(logText.contains("exited while serving"), "the restart is logged");
            gateway.kill();
        } finally {
            EmbeddedServer.stopStalePostmaster(pgDir());
        }
    }

    private HttpResponse<String> register(String tid) throws Exception {
        JsonObject body = new JsonObject().put("tid", tid).put("mid", "898310048990001").put("sn", "SN-" + tid)
                .put("vendor", "ACME").put("model", "P90");
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/terminals"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject ready() {
        try {
            return new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            return new JsonObject();
        }
    }
}
