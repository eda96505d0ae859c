package dev.posgate.gateway.platform.db;

import dev.posgate.link.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit trail (the table refuses UPDATE, DELETE and TRUNCATE by trigger).
 * Details must never carry key material, PIN blocks, full PANs or track data.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Pool pool;
    /** Null when every refusal is written (tools and tests that build their own AuditLog). */
    private final RefusalWindows refusals;
    private final long windowSeconds;
    private final TimeSource ticker;

    public AuditLog(Pool pool) {
        this.pool = pool;
        this.refusals = null;
        this.windowSeconds = 0;
        this.ticker = TimeSource.SYSTEM;
    }

    /**
     * Refusals aggregated per kind and {@code window} (see {@link RefusalWindows}); a timer on
     * {@code vertx} writes the summaries of closed windows, {@link #flush()} the rest at shutdown.
     */
    public AuditLog(Pool pool, Vertx vertx, Duration window, int maxKinds) {
        this(pool, vertx, window, maxKinds, TimeSource.SYSTEM);
    }

    /**
     * The same, with windows opened and closed on {@code ticker} (tests move it); the timer only
     * decides how often closed windows are looked for.
     */
    public AuditLog(Pool pool, Vertx vertx, Duration window, int maxKinds, TimeSource ticker) {
        this.pool = pool;
        this.ticker = ticker;
        this.refusals = new RefusalWindows(window.toNanos(), maxKinds);
        this.windowSeconds = window.toSeconds();
        vertx.setPeriodic(Math.max(250, Math.min(1000, window.toMillis() / 4)), id -> write(refusals.closeDue(ticker.nanos())));
    }

    /** Appends outside any transaction. */
    public Future<Void> append(String actor, String action, String subject, String result, JsonObject detail) {
        return append(pool, actor, action, subject, result, detail);
    }

    /**
     * Records a refusal before it is answered. A refusal stands whether or not it could be recorded
     * (the database may be the reason), so a failed write is logged and the future still succeeds.
     */
    public Future<Void> appendRefusal(String actor, String action, String subject, String result, JsonObject detail) {
        if (refusals != null) {
            RefusalWindows.Kind kind = new RefusalWindows.Kind(actor, action, subject, result,
                    detail == null ? null : String.valueOf(detail.getValue("reason")));
            RefusalWindows.Kind opened = refusals.admit(kind, detail, ticker.nanos());
            if (opened == null) return Future.succeededFuture(); // counted: written as part of its window's summary
            if (!opened.equals(kind)) { // too many kinds open: recorded under the overflow kind
                return appendRefusalNow(opened.actor(), action, opened.subject(), result,
                        (detail == null ? new JsonObject() : detail.copy()).put("overflow", true).put("first_subject", subject));
            }
        }
        return append(actor, action, subject, result, detail).recover(e -> {
            log.warn("audit of a refusal ({} {} {}) failed: {}", action, subject, result, e.toString());
            return Future.succeededFuture();
        });
    }

    /** Writes the summaries of every open refusal window (at shutdown, before the pool closes). */
    public Future<Void> flush() {
        return refusals == null ? Future.succeededFuture() : write(refusals.closeAll());
    }

    /** Open refusal windows (bounded by the configured maximum, plus one per action and result beyond it). */
    public int openRefusalWindows() {
        return refusals == null ? 0 : refusals.openWindows();
    }

    private Future<Void> write(List<RefusalWindows.Summary> summaries) {
        List<Future<Void>> writes = new ArrayList<>();
        for (RefusalWindows.Summary s : summaries) {
            RefusalWindows.Kind k = s.kind();
            JsonObject detail = (s.firstDetail() == null ? new JsonObject() : s.firstDetail().copy())
                    .put("summary", true).put("suppressed", s.suppressed()).put("window_seconds", windowSeconds);
            writes.add(appendRefusalNow(k.actor(), k.action(), k.subject(), k.result(), detail));
        }
        return Future.join(writes).mapEmpty();
    }

    private Future<Void> appendRefusalNow(String actor, String action, String subject, String result, JsonObject detail) {
        return append(actor, action, subject, result, detail).recover(e -> {
            log.warn("audit of a refusal summary ({} {} {}) failed: {}", action, subject, result, e.toString());
            return Future.succeededFuture();
        });
    }

    /** Appends inside the caller's transaction, so the record commits or rolls back with the change it audits. */
    public Future<Void> append(SqlClient client, String actor, String action, String subject, String result, JsonObject detail) {
        return client.preparedQuery("insert into audit_log (actor, action, subject, result, detail) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(actor, action, subject, result, detail))
                .mapEmpty();
    }

    public Future<Long> count(String subject) {
        return pool.preparedQuery("select count(*) from audit_log where subject = $1")
                .execute(Tuple.of(subject))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
