package dev.posgate.gateway.posp.admin;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.hsm.ExportedKey;
import dev.posgate.hsm.Hsm;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import dev.posgate.gateway.posp.store.SystemKeys;

/**
 * PSAM issuance (the HSM diversifies the root key with the card number and exports the card
 * master key under the issuing station's transport key) and the monitoring unit's bindings.
 */
public final class PsamService {
    /** A request the registry refuses (unknown card, malformed number). */
    public static final class PsamException extends RuntimeException {
        public PsamException(String message) {
            super(message);
        }
    }

    private final Pool pool;
    private final Hsm hsm;
    private final SystemKeys systemKeys;
    private final String rootOwner;
    private final AuditLog audit;

    public PsamService(Pool pool, Hsm hsm, SystemKeys systemKeys, String rootOwner, AuditLog audit) {
        this.pool = pool;
        this.hsm = hsm;
        this.systemKeys = systemKeys;
        this.rootOwner = rootOwner;
        this.audit = audit;
    }

    /** The card master key under the station's transport key, with its KCV; the card is recorded. */
    public Future<ExportedKey> issue(String cardNumber, String station, String actor) {
        if (cardNumber == null || !cardNumber.matches("[0-9]{1,20}")) {
            return Future.failedFuture(new PsamException("cardNumber must be 1..20 digits"));
        }
        if (station == null || station.isEmpty() || station.length() > 64) {
            return Future.failedFuture(new PsamException("station is required"));
        }
        return systemKeys.psamRoot(rootOwner)
                .compose(root -> systemKeys.stationTransportKey(station)
                        .compose(tk -> hsm.psamIssueCardKey(root, cardNumber, tk)))
                .compose(exported -> pool.withTransaction(tx -> tx
                                .preparedQuery("insert into psam_card (card_number, station, kcv) values ($1, $2, $3)"
                                        + " on conflict (card_number) do update set station = excluded.station, kcv = excluded.kcv,"
                                        + " issued_at = now()")
                                .execute(Tuple.of(cardNumber, station, exported.kcv().storedHex()))
                                .compose(r -> audit.append(tx, actor, "psam.issue", "psam:" + cardNumber, "OK",
                                        new JsonObject().put("station", station).put("kcv", exported.kcv().storedHex()))))
                        .map(exported));
    }

    /**
     * Binds {@code cardNumber} to {@code tid}: ends the card's previous binding and the terminal's
     * current one, in one transaction, so there is never a second open binding.
     */
    public Future<Void> bind(String cardNumber, String tid, String actor) {
        if (tid == null || tid.length() != 8) return Future.failedFuture(new PsamException("tid must be 8 characters"));
        return pool.withTransaction(tx -> tx
                        .preparedQuery("update psam_binding set unbound_at = now()"
                                + " where unbound_at is null and (card_number = $1 or tid = $2)")
                        .execute(Tuple.of(cardNumber, tid))
                        .compose(r -> tx.preparedQuery("insert into psam_binding (card_number, tid, actor) values ($1, $2, $3)")
                                .execute(Tuple.of(cardNumber, tid, actor)))
                        .compose(r -> audit.append(tx, actor, "psam.bind", "psam:" + cardNumber, "OK",
                                new JsonObject().put("tid", tid))))
                .recover(e -> Future.failedFuture(e instanceof PgException pg && "23503".equals(pg.getSqlState())
                        ? new PsamException("card " + cardNumber + " was never issued") : e));
    }

    /** Ends the terminal's open binding, if any. */
    public Future<Void> unbind(String tid, String actor) {
        return pool.withTransaction(tx -> tx
                .preparedQuery("update psam_binding set unbound_at = now() where unbound_at is null and tid = $1")
                .execute(Tuple.of(tid))
                .compose(r -> audit.append(tx, actor, "psam.unbind", "terminal:" + tid, "OK", new JsonObject())));
    }

    /** Every binding of a terminal, newest first (the history the registry keeps). */
    public Future<JsonArray> history(String tid) {
        return pool.preparedQuery("select card_number, bound_at, unbound_at, actor from psam_binding where tid = $1 order by id desc")
                .execute(Tuple.of(tid))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(new JsonObject()
                            .put("cardNumber", r.getString("card_number"))
                            .put("boundAt", r.getOffsetDateTime("bound_at").toString())
                            .put("unboundAt", r.getOffsetDateTime("unbound_at") == null ? null : r.getOffsetDateTime("unbound_at").toString())
                            .put("actor", r.getString("actor"))));
                    return out;
                });
    }
}
