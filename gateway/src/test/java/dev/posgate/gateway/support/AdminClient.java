package dev.posgate.gateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.cli.Main;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** An operator of a test gateway: its admin API with the bearer token, and the CLI pointed at it. */
public final class AdminClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestGateway gateway;

    public AdminClient(TestGateway gateway) {
        this.gateway = gateway;
    }

    /** A request to {@code path} on the admin port, with the token. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .header("Authorization", "Bearer " + gateway.app().adminToken());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, JsonObject body) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    public HttpResponse<String> patch(String path, JsonObject body) throws Exception {
        return send(request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    /** The terminal's registration as {@code GET /api/terminals/:tid} answers it (200 asserted). */
    public JsonObject terminal(String tid) throws Exception {
        HttpResponse<String> r = send(request("/api/terminals/" + tid).GET());
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    /**
     * Runs the CLI with {@code --admin} and {@code --token} of this gateway after the command and
     * subcommand ({@code args[0..1]}); returns its exit code.
     */
    public int cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, 2);
        all[2] = "--admin";
        all[3] = "http://127.0.0.1:" + gateway.adminPort();
        all[4] = "--token";
        all[5] = gateway.app().adminToken();
        System.arraycopy(args, 2, all, 6, args.length - 2);
        return Main.run(all);
    }
}
