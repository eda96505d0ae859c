package dev.posgate.gateway.kms.store;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.hsm.LmkKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SN-Key table, repair authorisations, revoked serials and used randoms (V2__kms.sql). A
 * batch is stored in one transaction: every SN is answered, and if any is refused nothing is
 * stored.
 */
public final class TransmissionKeyRepository {
    /** The batch refused as a whole: per-SN codes, nothing stored. */
    public static final class BatchRefusedException extends RuntimeException {
        public final Map<String, String> results;

        public BatchRefusedException(Map<String, String> results) {
            super("batch refused", null, false, false);
            this.results = results;
        }
    }

    private final Pool db;
    private final AuditLog audit;

    public TransmissionKeyRepository(Pool db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    public Future<Optional<TransmissionKeyRecord>> find(String sn) {
        return db.preparedQuery("select sn, sn_pinpad, tk_block, version, tek_lmk, auk_lmk from kms_transmission_key where sn = $1")
                .execute(Tuple.of(sn))
                .map(rows -> {
                    if (rows.size() == 0) return Optional.empty();
                    var r = rows.iterator().next();
                    String tek = r.getString("tek_lmk");
                    String auk = r.getString("auk_lmk");
                    return Optional.of(new TransmissionKeyRecord(r.getString("sn"), r.getString("sn_pinpad"),
                            r.getBuffer("tk_block").getBytes(), r.getInteger("version"),
                            tek == null ? null : LmkKey.parse(tek), auk == null ? null : LmkKey.parse(auk)));
                });
    }

    /**
     * Keeps TEK and AUK (under the LMK) opened from version {@code version} of the serial's TK, so
     * later K2s need no RSA operation. A TK replaced since (another version) is left alone.
     */
    public Future<Void> keepOpened(String sn, int version, LmkKey tek, LmkKey auk) {
        return db.preparedQuery("update kms_transmission_key set tek_lmk = $3, auk_lmk = $4"
                        + " where sn = $1 and version = $2 and tek_lmk is null")
                .execute(Tuple.of(sn, version, tek.toWire(), auk.toWire()))
                .mapEmpty();
    }


    /**
     * Stores a verified batch: each SN gets {@code 00} or {@code B2} (a TK on file and no open repair
     * authorisation). All stored, or none (then {@link BatchRefusedException}).
     */
    public Future<Map<String, String>> storeBatch(String productionOrder, String operatorSerial, String administratorSerial,
            List<BatchEntry> entries, String actor) {
        return db.withTransaction(tx -> tx.preparedQuery("insert into kms_batch (production_order, operator_serial,"
                                + " administrator_serial, terminals) values ($1, $2, $3, $4) returning id")
                        .execute(Tuple.of(productionOrder, operatorSerial, administratorSerial, entries.size()))
                        .map(rows -> rows.iterator().next().getLong(0))
                        .compose(batchId -> storeEntries(tx, batchId, entries, actor)
                                .compose(results -> results.values().stream().allMatch(ResultCode.APPROVED::is)
                                        ? audit.append(tx, actor, "kms.batch.store", "batch:" + batchId, "OK",
                                                        new JsonObject().put("productionOrder", productionOrder)
                                                                .put("terminals", entries.size())
                                                                .put("operator", operatorSerial)
                                                                .put("administrator", administratorSerial))
                                                .map(results)
                                        : Future.failedFuture(new BatchRefusedException(results)))));
    }

    private Future<Map<String, String>> storeEntries(SqlConnection tx, long batchId, List<BatchEntry> entries, String actor) {
        Map<String, String> results = new LinkedHashMap<>();
        Future<Void> chain = Future.succeededFuture();
        for (BatchEntry e : entries) {
            chain = chain.compose(v -> {
                return storeOne(tx, batchId, e, actor).map(code -> {
                    results.put(e.sn(), code);
                    return null;
                });
            });
        }
        return chain.map(results);
    }

    private Future<String> storeOne(SqlConnection tx, long batchId, BatchEntry e, String actor) {
        return tx.preparedQuery("insert into kms_transmission_key (sn, sn_pinpad, tk_block, batch_id) values ($1, $2, $3, $4)"
                        + " on conflict (sn) do nothing")
                .execute(Tuple.of(e.sn(), e.snPinpad(), Buffer.buffer(e.tkBlock()), batchId))
                .compose(r -> {
                    if (r.rowCount() == 1) return Future.succeededFuture(ResultCode.APPROVED.code());
                    // A TK is on file: only an open repair authorisation lets it be replaced.
                    return tx.preparedQuery("update kms_repair_authorisation set used_at = now(), used_by_batch = $2"
                                    + " where id = (select id from kms_repair_authorisation where sn = $1 and used_at is null"
                                    + " order by id limit 1 for update) returning id, authorised_by")
                            .execute(Tuple.of(e.sn(), batchId))
                            .compose(auth -> {
                                if (auth.size() == 0) return Future.succeededFuture(ResultCode.TK_ALREADY_ON_FILE.code());
                                var a = auth.iterator().next();
                                return tx.preparedQuery("update kms_transmission_key set tk_block = $2, sn_pinpad = $3,"
                                                + " batch_id = $4, version = version + 1, stored_at = now(),"
                                                + " tek_lmk = null, auk_lmk = null where sn = $1")
                                        .execute(Tuple.of(e.sn(), Buffer.buffer(e.tkBlock()), e.snPinpad(), batchId))
                                        .compose(u -> audit.append(tx, actor, "kms.tk.replace", e.sn(), "OK",
                                                new JsonObject().put("repairAuthorisation", a.getLong("id"))
                                                        .put("authorisedBy", a.getString("authorised_by"))
                                                        .put("batch", batchId)))
                                        .map(ResultCode.APPROVED.code());
                            });
                });
    }

    /** Records an administrator's repair authorisation for {@code sn}, audited in the same transaction. */
    public Future<Long> authoriseRepair(String sn, String authorisedBy, String reason) {
        return db.withTransaction(tx -> tx.preparedQuery("insert into kms_repair_authorisation (sn, authorised_by, reason)"
                                + " values ($1, $2, $3) returning id")
                        .execute(Tuple.of(sn, authorisedBy, reason))
                        .map(rows -> rows.iterator().next().getLong(0))
                        .compose(id -> audit.append(tx, authorisedBy, "kms.repair.authorise", sn, "OK",
                                new JsonObject().put("id", id).put("reason", reason)).map(id)));
    }

    public Future<Void> revoke(String serialHex, String reason, String actor) {
        return db.withTransaction(tx -> tx.preparedQuery("insert into kms_revoked_certificate (serial, reason) values ($1, $2)"
                                + " on conflict (serial) do nothing")
                        .execute(Tuple.of(serialHex.toUpperCase(java.util.Locale.ROOT), reason))
                        .compose(r -> audit.append(tx, actor, "kms.certificate.revoke", "cert:" + serialHex, "OK",
                                new JsonObject().put("reason", reason))));
    }

    public Future<Set<BigInteger>> revokedSerials() {
        return db.query("select serial from kms_revoked_certificate").execute().map(rows -> {
            Set<BigInteger> out = new HashSet<>();
            rows.forEach(r -> out.add(new BigInteger(r.getString(0), 16)));
            return out;
        });
    }

    static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    public static List<String> refusedSns(Map<String, String> results) {
        List<String> out = new ArrayList<>();
        results.forEach((sn, code) -> {
            if (!ResultCode.APPROVED.is(code)) out.add(sn);
        });
        return out;
    }
}
