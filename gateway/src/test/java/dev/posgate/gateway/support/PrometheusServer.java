package dev.posgate.gateway.support;

import dev.posgate.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the {@code prometheus} binary bin/test installs, {@link DeployTools})
 * as a separate process on a free loopback port, its storage and log in {@code dir}, and a client
 * of its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code prometheus --config.file=config} and returns once it reports ready ({@code /-/ready}). */
    public static PrometheusServer start(Path config, Path dir) throws Exception {
        Path binary = DeployTools.tool("prometheus");
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(List.of(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(p, port, log);
        try {
            Eventually.until("prometheus is ready (log: " + log.toAbsolutePath() + ")", () -> {
                if (!p.isAlive()) throw new IllegalStateException("prometheus exited " + p.exitValue() + ": " + Files.readString(log));
                return server.get("/-/ready").statusCode() == 200;
            });
        } catch (Throwable t) {
            server.close();
            throw t;
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** The pending and firing alerts ({@code GET /api/v1/alerts}). */
    public JsonArray alerts() throws Exception {
        return data("/api/v1/alerts").getJsonArray("alerts");
    }

    /** The rule groups as loaded ({@code GET /api/v1/rules}). */
    public JsonArray ruleGroups() throws Exception {
        return data("/api/v1/rules").getJsonArray("groups");
    }

    /** An instant query's result vector ({@code GET /api/v1/query}). */
    public JsonArray query(String promql) throws Exception {
        return data("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).getJsonArray("result");
    }

    private JsonObject data(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonObject body = new JsonObject(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.getString("status"))) {
            throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return body.getJsonObject("data");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
