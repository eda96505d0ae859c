package dev.posgate.gateway.posp.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POSP's copy of the monitoring unit's registry: terminal id → PSAM card currently bound, in
 * memory, so sign-ons and transactions never query for it. One pooled connection LISTENs on
 * {@code posp_psam_binding} (the V4 trigger notifies on commit); LISTEN is issued before the
 * initial load, so no change falls between them. When that connection drops, the map is
 * reloaded on a new one.
 */
public final class PsamRegistry {
    private static final Logger log = LoggerFactory.getLogger(PsamRegistry.class);
    static final String CHANNEL = "posp_psam_binding";

    private final Vertx vertx;
    private final Pool pool;
    private final Map<String, String> cardByTid = new ConcurrentHashMap<>();
    private volatile SqlConnection listener;
    private volatile boolean closed;

    public PsamRegistry(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    public Future<Void> start() {
        return pool.getConnection().compose(conn -> {
            listener = conn;
            PgConnection pg = PgConnection.cast(conn);
            pg.notificationHandler(n -> {
                if (CHANNEL.equals(n.getChannel())) apply(n.getPayload());
            });
            pg.closeHandler(v -> {
                listener = null;
                if (!closed) {
                    log.warn("PSAM registry lost its LISTEN connection; reconnecting");
                    vertx.setTimer(1000, id -> restart());
                }
            });
            return conn.query("LISTEN " + CHANNEL).execute()
                    .compose(r -> pool.query("select tid, card_number from psam_binding where unbound_at is null").execute())
                    .map(rows -> {
                        Map<String, String> fresh = new ConcurrentHashMap<>();
                        rows.forEach(r -> fresh.put(r.getString("tid"), r.getString("card_number")));
                        cardByTid.keySet().retainAll(fresh.keySet());
                        cardByTid.putAll(fresh);
                        log.info("PSAM registry: {} open bindings", fresh.size());
                        return (Void) null;
                    });
        });
    }

    private void restart() {
        if (closed) return;
        start().onFailure(e -> {
            log.warn("PSAM registry reconnect failed: {}", e.toString());
            vertx.setTimer(2000, id -> restart());
        });
    }

    /** "tid:card" binds, "tid:" unbinds. */
    void apply(String payload) {
        int colon = payload.indexOf(':');
        if (colon <= 0) return;
        String tid = payload.substring(0, colon);
        String card = payload.substring(colon + 1);
        if (card.isEmpty()) cardByTid.remove(tid);
        else cardByTid.put(tid, card);
    }

    /** The PSAM card bound to {@code tid} as this node last heard. */
    public Optional<String> cardOf(String tid) {
        return Optional.ofNullable(cardByTid.get(tid));
    }

    public Future<Void> close() {
        closed = true;
        SqlConnection c = listener;
        // The connection goes back to the pool: stop listening on it first.
        return c == null ? Future.succeededFuture() : c.query("UNLISTEN *").execute().transform(ar -> c.close());
    }
}
