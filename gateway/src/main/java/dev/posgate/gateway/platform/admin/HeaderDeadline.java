package dev.posgate.gateway.platform.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin server's header read timeout, which Vert.x does not have: a connection must deliver a
 * complete request line and headers within the deadline after it opens, and again after each
 * response ends, or it is closed. The idle timeout alone is reset by every byte, so one byte every
 * few seconds (slowloris) would hold a connection for ever.
 */
final class HeaderDeadline {
    private final Vertx vertx;
    private final long millis;
    /** Connections waiting for a request's headers, with their timer. */
    private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();

    HeaderDeadline(Vertx vertx, long millis) {
        this.vertx = vertx;
        this.millis = millis;
    }

    /** A new connection, or one whose response ended: its next headers are due within the deadline. */
    void arm(HttpConnection connection) {
        if (millis <= 0) return;
        long timer = vertx.setTimer(millis, id -> {
            if (waiting.remove(connection, id)) connection.close();
        });
        Long previous = waiting.put(connection, timer);
        if (previous != null) vertx.cancelTimer(previous);
        connection.closeHandler(v -> disarm(connection));
    }

    /**
     * The request's headers are complete; the caller restarts the deadline with {@link #arm} when
     * its response has ended (through the router's end handlers: Vert.x Web owns the response's).
     */
    void met(HttpServerRequest request) {
        disarm(request.connection());
    }

    private void disarm(HttpConnection connection) {
        Long timer = waiting.remove(connection);
        if (timer != null) vertx.cancelTimer(timer);
    }
}
