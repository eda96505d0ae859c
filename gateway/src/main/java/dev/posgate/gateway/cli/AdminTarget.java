package dev.posgate.gateway.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The admin API of a running gateway, as every CLI command that talks to it reaches it: the
 * same options ({@code --admin}, {@code --token}, {@code --data-dir}) and the same bearer
 * token lookup (option, then POSGATE_ADMIN_TOKEN, then the data directory's admin.token).
 * Every way of not getting an answer (no gateway, no token, a timeout) and every refusal
 * ({@link #expect}) is a {@link CliException}: one line for the operator, never a stack trace.
 */
public final class AdminTarget {
    @Option(names = "--admin", defaultValue = "${env:POSGATE_ADMIN_URL:-http://127.0.0.1:8080}",
            description = "Admin API base URL; environment POSGATE_ADMIN_URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:POSGATE_ADMIN_TOKEN}",
            description = "Bearer token; environment POSGATE_ADMIN_TOKEN, else <data dir>/admin.token.")
    String token;

    @Option(names = "--data-dir", defaultValue = "${env:POSGATE_DATA_DIR:-var}",
            description = "Data directory holding admin.token; environment POSGATE_DATA_DIR (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** The command this mixin is part of: its writers are where the command prints. */
    @Spec(Spec.Target.MIXEE) CommandSpec command;

    /**
     * The command's standard output: picocli's writer, System.out unless the caller of the
     * CommandLine set another (tests capture it there). Every command prints through this or
     * {@link #err()}, never System.out/err directly.
     */
    public PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** The command's standard error (picocli's writer). */
    public PrintWriter err() {
        return command.commandLine().getErr();
    }

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
        URI uri;
        try {
            uri = URI.create(url + path);
            if (uri.getScheme() == null || uri.getHost() == null) throw new IllegalArgumentException("no scheme or host");
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid admin API URL '" + url + "': set --admin or POSGATE_ADMIN_URL to e.g. http://127.0.0.1:8080");
        }
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", contentType)
                .method(method, body)
                .build();
        // HTTP/1.1: the JDK client's default h2c upgrade can hang, request timeout and all (docs/operations.md)
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("connection timed out");
        } catch (HttpTimeoutException e) {
            throw new CliException("the admin API at " + url + " did not answer " + method + " " + path + " within "
                    + timeout.toSeconds() + " s: check the gateway's log and GET /ready");
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private CliException unreachable(String why) {
        return new CliException("cannot reach the admin API at " + url + " (" + why
                + "): is `posgate serve` running? set --admin or POSGATE_ADMIN_URL");
    }

    private String token() throws IOException {
        if (token != null && !token.isEmpty()) return token;
        Path file = dataDir.resolve("admin.token");
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new CliException("no admin token: " + file + " does not exist; pass --token, set POSGATE_ADMIN_TOKEN, "
                    + "or point --data-dir / POSGATE_DATA_DIR at the gateway's data directory");
        } catch (IOException e) {
            throw new CliException("cannot read the admin token " + file + " (" + e.getMessage() + "): pass --token or set POSGATE_ADMIN_TOKEN");
        }
    }

    /**
     * The answer's body when its status is one of {@code ok}; otherwise a {@link CliException}
     * naming {@code what} failed, the status and the API's {@code error} (and {@code problems}).
     */
    public static String expect(HttpResponse<String> r, String what, int... ok) {
        for (int s : ok) if (r.statusCode() == s) return r.body();
        throw new CliException(what + " failed: " + refusal(r));
    }

    /** An error answer in one line: status, the API's error message and problems, what to check for a 401. */
    static String refusal(HttpResponse<String> r) {
        String detail = r.body() == null ? "" : r.body().strip();
        try {
            JsonObject e = new JsonObject(detail);
            if (e.getValue("error") instanceof String m) {
                detail = m + (e.getValue("problems") != null ? " " + e.getValue("problems") : "");
            }
        } catch (DecodeException | ClassCastException e) {
            detail = detail.replaceAll("\\s+", " ");
            if (detail.length() > 200) detail = detail.substring(0, 200) + "...";
        }
        String hint = switch (r.statusCode()) {
            case 401 -> ": check --token, POSGATE_ADMIN_TOKEN or <data dir>/admin.token (POSGATE_DATA_DIR)";
            case 404 -> r.body() != null && r.body().contains("\"not found\"")
                    ? ": this gateway has no such endpoint; is --admin (POSGATE_ADMIN_URL) a posgate of this version?" : "";
            default -> r.statusCode() >= 500 ? ": see the gateway's log" : "";
        };
        return "HTTP " + r.statusCode() + (detail.isEmpty() ? "" : " " + detail) + hint;
    }
}
