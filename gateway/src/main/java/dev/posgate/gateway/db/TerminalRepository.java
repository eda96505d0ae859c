package dev.posgate.gateway.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Terminals in PostgreSQL. Registration and its audit record commit together. */
public final class TerminalRepository {
    private static final String COLUMNS =
            "id, tid, mid, sn, sn_pinpad, vendor, model, key_scheme, mac_algorithm, status, created_at";

    private final Pool pool;
    private final AuditLog audit;

    public TerminalRepository(Pool pool, AuditLog audit) {
        this.pool = pool;
        this.audit = audit;
    }

    /** Thrown when the TID or SN is already registered. */
    public static final class DuplicateTerminalException extends RuntimeException {
        public DuplicateTerminalException(String message) {
            super(message);
        }
    }

    public Future<Terminal> register(NewTerminal t, String actor) {
        return pool.withTransaction(tx -> tx
                        .preparedQuery("insert into terminal (tid, mid, sn, sn_pinpad, vendor, model, key_scheme, mac_algorithm)"
                                + " values ($1, $2, $3, $4, $5, $6, $7, $8) returning " + COLUMNS)
                        .execute(Tuple.of(t.tid(), t.mid(), t.sn(), emptyToNull(t.snPinpad()), t.vendor(), t.model(),
                                t.keyScheme().name(), t.macAlgorithm().name()))
                        .map(rows -> map(rows.iterator().next()))
                        .compose(saved -> audit.append(tx, actor, "terminal.register", saved.tid(), "OK",
                                        new JsonObject().put("sn", saved.sn()).put("keyScheme", saved.keyScheme().name()))
                                .map(saved)))
                .recover(e -> {
                    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                        return Future.failedFuture(new DuplicateTerminalException("terminal id or serial number already registered"));
                    }
                    return Future.failedFuture(e);
                });
    }

    public Future<Optional<Terminal>> findByTid(String tid) {
        return findOne(pool, "tid", tid);
    }

    public Future<Optional<Terminal>> findBySn(String sn) {
        return findOne(pool, "sn", sn);
    }

    public Future<List<Terminal>> list(int limit, long afterId) {
        return pool.preparedQuery("select " + COLUMNS + " from terminal where id > $1 order by id limit $2")
                .execute(Tuple.of(afterId, limit))
                .map(rows -> {
                    List<Terminal> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    private static Future<Optional<Terminal>> findOne(SqlClient client, String column, String value) {
        return client.preparedQuery("select " + COLUMNS + " from terminal where " + column + " = $1")
                .execute(Tuple.of(value))
                .map(rows -> rows.size() == 0 ? Optional.<Terminal>empty() : Optional.of(map(rows.iterator().next())));
    }

    private static Terminal map(Row r) {
        return new Terminal(
                r.getLong("id"),
                r.getString("tid"),
                r.getString("mid"),
                r.getString("sn"),
                r.getString("sn_pinpad"),
                r.getString("vendor"),
                r.getString("model"),
                Terminal.KeyScheme.valueOf(r.getString("key_scheme")),
                Terminal.MacAlgorithm.valueOf(r.getString("mac_algorithm")),
                Terminal.Status.valueOf(r.getString("status")),
                r.getOffsetDateTime("created_at"));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
