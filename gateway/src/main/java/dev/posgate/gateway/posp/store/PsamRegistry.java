package dev.posgate.gateway.posp.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.posgate.gateway.platform.db.PgNotifications;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POSP's copy of the monitoring unit's registry: terminal id → PSAM card currently bound, in
 * memory, so sign-ons and transactions never query for it. The node's {@link PgNotifications}
 * connection LISTENs on {@code posp_psam_binding} (the V4 trigger notifies on commit); LISTEN is
 * issued before the initial load, so no change falls between them. When that connection drops,
 * the map is reloaded on a new one.
 */
public final class PsamRegistry {
    private static final Logger log = LoggerFactory.getLogger(PsamRegistry.class);
    static final String CHANNEL = "posp_psam_binding";

    private final Pool pool;
    private final PgNotifications notifications;
    private final boolean ownsNotifications;
    private final Map<String, String> cardByTid = new ConcurrentHashMap<>();

    /** With a LISTEN connection of its own (a second node in a test). */
    public PsamRegistry(Vertx vertx, Pool pool) {
        this(new PgNotifications(vertx, pool), pool, true);
    }

    /** On the node's shared LISTEN connection (started by whoever starts it, or by {@link #start}). */
    public PsamRegistry(PgNotifications notifications, Pool pool) {
        this(notifications, pool, false);
    }

    private PsamRegistry(PgNotifications notifications, Pool pool, boolean owns) {
        this.pool = pool;
        this.notifications = notifications;
        this.ownsNotifications = owns;
        notifications.subscribe(CHANNEL, this::apply, this::load, () -> {});
    }

    public Future<Void> start() {
        return notifications.start();
    }

    private Future<Void> load() {
        return pool.query("select tid, card_number from psam_binding where unbound_at is null").execute()
                .map(rows -> {
                    Map<String, String> fresh = new ConcurrentHashMap<>();
                    rows.forEach(r -> fresh.put(r.getString("tid"), r.getString("card_number")));
                    cardByTid.keySet().retainAll(fresh.keySet());
                    cardByTid.putAll(fresh);
                    log.info("PSAM registry: {} open bindings", fresh.size());
                    return (Void) null;
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
        return ownsNotifications ? notifications.close() : Future.succeededFuture();
    }
}
