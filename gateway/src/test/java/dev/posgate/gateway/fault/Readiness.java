package dev.posgate.gateway.fault;

import dev.posgate.gateway.support.TestGateway;
import dev.posgate.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The gateway's {@code GET /ready}, as a load balancer or an orchestrator polls it. */
final class Readiness {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Readiness() {}

    /** The check's answer: {@code status} UP/DOWN and one entry per dependency ("UP" or "DOWN: why"). */
    static JsonObject of(TestGateway gateway) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).put("httpStatus", r.statusCode());
    }

    /** Polls until {@code dependency} reports {@code up} (or down); returns that answer. */
    static JsonObject await(TestGateway gateway, String dependency, boolean up) throws Exception {
        return Eventually.value("/ready reports " + dependency + (up ? " UP" : " DOWN"), () -> of(gateway),
                last -> last.getString(dependency, "").startsWith("UP") == up);
    }
}
