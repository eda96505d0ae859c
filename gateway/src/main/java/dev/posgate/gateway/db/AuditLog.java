package dev.posgate.gateway.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit trail (the table refuses UPDATE, DELETE and TRUNCATE by trigger).
 * Details must never carry key material, PIN blocks, full PANs or track data.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
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
        return append(actor, action, subject, result, detail).recover(e -> {
            log.warn("audit of a refusal ({} {} {}) failed: {}", action, subject, result, e.toString());
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
