package dev.posgate.gateway.kms;

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

/** The admin API of a running gateway, for the {@code ca} and {@code kms} commands. */
final class AdminClient {
    @Option(names = "--admin", defaultValue = "${env:POSGATE_ADMIN_URL:-http://127.0.0.1:8080}",
            description = "Admin API base URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:POSGATE_ADMIN_TOKEN}",
            description = "Bearer token; default: POSGATE_ADMIN_TOKEN, else <data dir>/admin.token.")
    String token;

    @Option(names = "--data-dir", defaultValue = "${env:POSGATE_DATA_DIR:-var}",
            description = "Data directory holding admin.token (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        String t = token;
        if (t == null || t.isEmpty()) t = Files.readString(dataDir.resolve("admin.token"), StandardCharsets.US_ASCII).trim();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(req, HttpResponse.BodyHandlers.ofString());
    }
}
