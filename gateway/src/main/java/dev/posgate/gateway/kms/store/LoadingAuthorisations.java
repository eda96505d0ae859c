package dev.posgate.gateway.kms.store;

import dev.posgate.gateway.platform.db.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * Key-loading authorisations (docs/kms.md): OPEN → APPROVED (by a second, different card) →
 * CONSUMED by one L2, in the transaction that issues the TMK; or REVOKED. Expiry is judged by the
 * database clock ({@code expires_at > now()}), the same for every gateway on the database. Every
 * step is in the audit log in the transaction that makes it.
 */
public final class LoadingAuthorisations {
    static final String ACTOR = "loader";

    /** Why an L2 finds nothing to consume, for the refusal's audit row. */
    public enum Lookup { USABLE, EXPIRED, NOT_APPROVED, NONE }

    private final Pool pool;
    private final AuditLog audit;

    public LoadingAuthorisations(Pool pool, AuditLog audit) {
        this.pool = pool;
        this.audit = audit;
    }

    public Future<JsonObject> open(LoadingStatementVerifier.Signed s, int ttlSeconds) {
        LoadingStatement st = s.statement();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        insert into loading_authorisation (id, sn, state, opened_by_serial, opened_by_subject, opened_statement, expires_at)
                        values ($1, $2, 'OPEN', $3, $4, $5, now() + make_interval(secs => $6))
                        returning expires_at""")
                .execute(Tuple.of(st.id(), st.sn(), s.signerSerial(), s.signerSubject(), io.vertx.core.buffer.Buffer.buffer(s.der()),
                        ttlSeconds))
                .compose(rows -> {
                    JsonObject out = new JsonObject().put("id", st.id().toString()).put("sn", st.sn()).put("state", "OPEN")
                            .put("openedBy", s.signerSerial()).put("expiresAt", rows.iterator().next().getOffsetDateTime(0).toString());
                    return audit.append(tx, ACTOR, "loader.authorisation.open", st.sn(), "OPEN",
                            new JsonObject().put("id", st.id().toString()).put("by", s.signerSerial()).put("role", s.role().name())
                                    .put("ttlSeconds", ttlSeconds)).map(out);
                }))
                .recover(e -> e instanceof PgException p && "23505".equals(p.getSqlState())
                        ? Future.failedFuture(new AuthorisationRefusedException(409, "authorisation id already used"))
                        : Future.failedFuture(e));
    }

    /**
     * Dual control: the approver's card must differ from the opener's by certificate serial and by
     * holder (subject CN: one holder with two cards is still one person); the authorisation must be OPEN,
     * unexpired and for the serial the approver signed.
     */
    public Future<JsonObject> approve(LoadingStatementVerifier.Signed s) {
        LoadingStatement st = s.statement();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        select sn, state, opened_by_serial, opened_by_subject, expires_at > now() as live
                        from loading_authorisation where id = $1 for update""")
                .execute(Tuple.of(st.id()))
                .compose(rows -> {
                    if (rows.size() == 0) return Future.failedFuture(new AuthorisationRefusedException(404, "no such authorisation"));
                    Row r = rows.iterator().next();
                    if (!r.getString("sn").equals(st.sn())) {
                        return Future.failedFuture(new AuthorisationRefusedException(409, "authorisation is for another serial"));
                    }
                    if (!"OPEN".equals(r.getString("state"))) {
                        return Future.failedFuture(new AuthorisationRefusedException(409, "authorisation is " + r.getString("state")));
                    }
                    if (!r.getBoolean("live")) return Future.failedFuture(new AuthorisationRefusedException(409, "authorisation expired"));
                    if (r.getString("opened_by_serial").equals(s.signerSerial())) {
                        return Future.failedFuture(new AuthorisationRefusedException(403, "the approver's card is the opener's"));
                    }
                    if (LoadingStatementVerifier.holder(r.getString("opened_by_subject")).equals(s.holder())) {
                        return Future.failedFuture(new AuthorisationRefusedException(403,
                                "the approver holds another card of the opener (one person): another card holder must approve"));
                    }
                    return tx.preparedQuery("""
                                    update loading_authorisation set state = 'APPROVED', approved_by_serial = $2, approved_by_subject = $3,
                                    approved_statement = $4, approved_at = now() where id = $1""")
                            .execute(Tuple.of(st.id(), s.signerSerial(), s.signerSubject(), io.vertx.core.buffer.Buffer.buffer(s.der())))
                            .compose(v -> audit.append(tx, ACTOR, "loader.authorisation.approve", st.sn(), "APPROVED",
                                    new JsonObject().put("id", st.id().toString()).put("by", s.signerSerial()).put("role", s.role().name())
                                            .put("openedBy", r.getString("opened_by_serial"))))
                            .map(new JsonObject().put("id", st.id().toString()).put("sn", st.sn()).put("state", "APPROVED")
                                    .put("approvedBy", s.signerSerial()));
                }));
    }

    public Future<JsonObject> revoke(UUID id, String actor) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        update loading_authorisation set state = 'REVOKED', revoked_at = now()
                        where id = $1 and state in ('OPEN', 'APPROVED') returning sn""")
                .execute(Tuple.of(id))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new AuthorisationRefusedException(404, "no open or approved authorisation with this id"));
                    }
                    String sn = rows.iterator().next().getString(0);
                    return audit.append(tx, actor, "loader.authorisation.revoke", sn, "REVOKED", new JsonObject().put("id", id.toString()))
                            .map(new JsonObject().put("id", id.toString()).put("sn", sn).put("state", "REVOKED"));
                }));
    }

    public Future<JsonArray> list(String sn) {
        return pool.preparedQuery("""
                        select id, sn, case when state in ('OPEN', 'APPROVED') and expires_at <= now() then 'EXPIRED' else state end,
                        opened_by_serial, approved_by_serial, opened_at, expires_at, approved_at, consumed_at
                        from loading_authorisation where ($1::text is null or sn = $1) order by opened_at desc limit 200""")
                .execute(Tuple.of(sn))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rows) {
                        out.add(new JsonObject().put("id", r.getUUID(0).toString()).put("sn", r.getString(1)).put("state", r.getString(2))
                                .put("openedBy", r.getString(3)).put("approvedBy", r.getString(4))
                                .put("openedAt", String.valueOf(r.getOffsetDateTime(5))).put("expiresAt", String.valueOf(r.getOffsetDateTime(6)))
                                .put("approvedAt", r.getOffsetDateTime(7) == null ? null : r.getOffsetDateTime(7).toString())
                                .put("consumedAt", r.getOffsetDateTime(8) == null ? null : r.getOffsetDateTime(8).toString()));
                    }
                    return out;
                });
    }

    /** Whether {@code sn} has an authorisation an L2 could consume now, and if not why (for the audit row). */
    public Future<Lookup> lookup(String sn) {
        return pool.preparedQuery("""
                        select coalesce(bool_or(state = 'APPROVED' and expires_at > now()), false),
                               coalesce(bool_or(state = 'APPROVED'), false),
                               coalesce(bool_or(state = 'OPEN' and expires_at > now()), false)
                        from loading_authorisation where sn = $1 and state in ('OPEN', 'APPROVED')""")
                .execute(Tuple.of(sn))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    if (r.getBoolean(0)) return Lookup.USABLE;
                    if (r.getBoolean(1)) return Lookup.EXPIRED;
                    if (r.getBoolean(2)) return Lookup.NOT_APPROVED;
                    return Lookup.NONE;
                });
    }

    /**
     * Consumes one approved, unexpired authorisation for {@code sn} inside the caller's transaction
     * (the one that issues the TMK): single use even when two L2s race, since the row is locked
     * and the second finds it CONSUMED. Empty when there is none. {@code detail} (key index, remote
     * address, device certificate serial) goes into the audit row.
     */
    public Future<Optional<UUID>> consume(SqlClient tx, String sn, JsonObject detail) {
        return tx.preparedQuery("""
                        update loading_authorisation set state = 'CONSUMED', consumed_at = now()
                        where id = (select id from loading_authorisation where sn = $1 and state = 'APPROVED' and expires_at > now()
                                    order by approved_at limit 1 for update skip locked)
                        returning id""")
                .execute(Tuple.of(sn))
                .compose(rows -> {
                    if (rows.size() == 0) return Future.succeededFuture(Optional.<UUID>empty());
                    UUID id = rows.iterator().next().getUUID(0);
                    return audit.append(tx, ACTOR, "loader.authorisation.consume", sn, "CONSUMED", detail.copy().put("id", id.toString()))
                            .map(Optional.of(id));
                });
    }
}
