package dev.posgate.gateway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The admin API of a running gateway, as every CLI command that talks to it reaches it: the
 * same options ({@code --admin}, {@code --token}, {@code --data-dir}) and the same bearer
 * token lookup (option, then POSGATE_ADMIN_TOKEN, then the data directory's admin.token).
 */
public final class AdminTarget {
    @Option(names = "--admin", defaultValue = "${env:POSGATE_ADMIN_URL:-http://127.0.0.1:8080}",
            description = "Admin API base URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:POSGATE_ADMIN_TOKEN}",
            description = "Bearer token; default: POSGATE_ADMIN_TOKEN, else <data dir>/admin.token.")
    String token;

    @Option(names = "--data-dir", defaultValue = "${env:POSGATE_DATA_DIR:-var}",
            description = "Data directory holding admin.token (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** A JSON request ({@code json} may be null for none). */
    public HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        return send(method, path, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json),
                "application/json", Duration.ofSeconds(30));
    }

    /** Any body (e.g. a package file), with a timeout long enough for large uploads. */
    public HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        return send(method, path, body, contentType, Duration.ofMinutes(2));
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String contentType,
            Duration timeout) throws IOException, InterruptedException {
        String t = token;
        if (t == null || t.isEmpty()) t = Files.readString(dataDir.resolve("admin.token"), StandardCharsets.US_ASCII).trim();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + t)
                .header("Content-Type", contentType)
                .method(method, body)
                .build();
        // HTTP/1.1: the JDK client's default h2c upgrade can hang, request timeout and all (docs/operations.md)
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()
                .send(req, HttpResponse.BodyHandlers.ofString());
    }
}
