package dev.posgate.terminal.kms;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Posts a signed TK batch to the gateway's admin API ({@code POST /api/kms/batches}). */
public final class BatchUploader {
    /** The HTTP status and the gateway's per-SN answer. */
    public record Result(int status, JsonObject body) {}

    /** The clients of uploads under way (see {@link #upload}). */
    private static final Set<HttpClient> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    private BatchUploader() {}

    public static Future<Result> upload(Vertx vertx, String host, int port, String token, byte[] batch) {
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI("/api/kms/batches")
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Content-Type", "application/pkcs7-mime");
        // A client nobody references is closed by Vert.x's cleaner when collected, which left an upload
        // unanswered under GC pressure. The futures of the request reference the client only from the
        // client's own side, so it is held here, from a static root, until the answer is in; then closed.
        HttpClient client = vertx.createHttpClient();
        IN_FLIGHT.add(client);
        return client.request(req)
                .compose(r -> r.send(Buffer.buffer(batch)))
                .compose(resp -> resp.body().map(b -> new Result(resp.statusCode(), parse(resp, b))))
                .eventually(() -> {
                    IN_FLIGHT.remove(client);
                    return client.close();
                });
    }

    private static JsonObject parse(HttpClientResponse resp, Buffer b) {
        try {
            return b.length() == 0 ? new JsonObject() : b.toJsonObject();
        } catch (RuntimeException e) {
            return new JsonObject().put("raw", b.toString());
        }
    }
}
