package dev.posgate.gateway.platform.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pooled connection that LISTENs on the channels its subscribers name (PostgreSQL NOTIFY,
 * sent by triggers on commit) and hands each payload to its channel's subscriber. A subscriber's
 * {@code resync} runs after every LISTEN (at start and after a lost connection), so a copy held in
 * memory is reloaded or dropped: LISTEN is issued before it, so no change falls between them.
 * {@code lost} runs as soon as the connection drops (a copy must not be trusted until resync).
 */
public final class PgNotifications {
    private static final Logger log = LoggerFactory.getLogger(PgNotifications.class);

    private record Subscriber(Consumer<String> payload, Supplier<Future<Void>> resync, Runnable lost) {}

    private final Vertx vertx;
    private final Pool pool;
    private final Map<String, Subscriber> subscribers = new LinkedHashMap<>();
    private volatile SqlConnection listener;
    private volatile boolean listening;
    private volatile boolean closed;
    private boolean started;

    public PgNotifications(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    /** Registers a channel before {@link #start}. */
    public synchronized PgNotifications subscribe(String channel, Consumer<String> payload, Supplier<Future<Void>> resync,
            Runnable lost) {
        if (started) throw new IllegalStateException("subscribe before start: " + channel);
        subscribers.put(channel, new Subscriber(payload, resync, lost));
        return this;
    }

    /** Starts listening once (later calls return at once); every subscriber's resync completes first. */
    public synchronized Future<Void> start() {
        if (started) return Future.succeededFuture();
        started = true;
        return listen();
    }

    /** True while the LISTEN connection is up and every subscriber has resynced on it. */
    public boolean listening() {
        return listening;
    }

    private Future<Void> listen() {
        return pool.getConnection().compose(conn -> {
            listener = conn;
            PgConnection pg = PgConnection.cast(conn);
            pg.notificationHandler(n -> {
                Subscriber s = subscribers.get(n.getChannel());
                if (s != null) s.payload().accept(n.getPayload());
            });
            pg.closeHandler(v -> {
                listener = null;
                listening = false;
                subscribers.values().forEach(s -> s.lost().run());
                if (!closed) {
                    log.warn("lost the LISTEN connection ({}); reconnecting", subscribers.keySet());
                    vertx.setTimer(1000, id -> restart());
                }
            });
            StringBuilder sql = new StringBuilder();
            subscribers.keySet().forEach(ch -> sql.append("LISTEN ").append(ch).append(';'));
            return conn.query(sql.toString()).execute().compose(r -> {
                List<Future<Void>> resyncs = new ArrayList<>();
                subscribers.values().forEach(s -> resyncs.add(s.resync().get()));
                return Future.all(resyncs);
            }).map(all -> {
                listening = listener == conn;
                return (Void) null;
            });
        });
    }

    private void restart() {
        if (closed) return;
        listen().onFailure(e -> {
            log.warn("LISTEN reconnect failed: {}", e.toString());
            vertx.setTimer(2000, id -> restart());
        });
    }

    public Future<Void> close() {
        closed = true;
        listening = false;
        SqlConnection c = listener;
        // The connection goes back to the pool: stop listening on it first.
        return c == null ? Future.succeededFuture() : c.query("UNLISTEN *").execute().transform(ar -> c.close());
    }
}
