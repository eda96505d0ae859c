package dev.posgate.gateway.kms.store;

import dev.posgate.crypto.Hex;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.hsm.LmkKey;
import dev.posgate.protocol.kms.KmsHostSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * A terminal's TMK from issue to use (docs/kms.md): K3/L2 store the new TMK PENDING (under the
 * LMK, with its KCV) while the previous ACTIVE one stays in use; K4/L3 with a matching KCV make
 * it ACTIVE and retire the old one in one transaction ({@link KeyRepository#activate}). A PENDING
 * key that is never confirmed is never used. Owner: TERMINAL / SN, key type TMK, slot = PIN pad key index.
 */
public final class TmkLifecycle {
    static final String KEY_TYPE = "TMK";

    private final KeyRepository keys;
    private final AuditLog audit;

    public TmkLifecycle(KeyRepository keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    public Future<KmsHostSession.Issued> issue(String sn, int keyIndex, LmkKey tmk, byte[] kcv4, String flow) {
        return issue(sn, keyIndex, tmk, kcv4, flow, tx -> Future.succeededFuture());
    }

    /**
     * As above, after {@code precondition} in the same transaction: when it fails (the L2's loading
     * authorisation is gone) nothing is stored and its failure is the result.
     */
    public Future<KmsHostSession.Issued> issue(String sn, int keyIndex, LmkKey tmk, byte[] kcv4, String flow,
            Function<SqlConnection, Future<?>> precondition) {
        return keys.pool().withTransaction(tx -> precondition.apply(tx).compose(v -> keys.store(tx, KeyRecord.OwnerType.TERMINAL, sn, KEY_TYPE, keyIndex,
                        tmk.toWire(), Hex.encode(kcv4), KeyRecord.State.PENDING) // kcv4: Kcv.STORED_BYTES
                .compose(rec -> audit.append(tx, "kms", flow + ".tmk.issue", sn, "PENDING",
                                new JsonObject().put("keyIndex", keyIndex).put("version", rec.version()).put("kcv", rec.kcv()))
                        .map(new KmsHostSession.Issued(sn, keyIndex, rec.id(), kcv4)))));
    }

    public Future<KeyRecord> confirm(KmsHostSession.Issued issued, String flow) {
        return keys.pool().withTransaction(tx -> keys.activate(tx, issued.pendingKeyId())
                .compose(rec -> audit.append(tx, "kms", flow + ".tmk.activate", issued.sn(), "OK",
                                new JsonObject().put("keyIndex", issued.keyIndex()).put("version", rec.version()).put("kcv", rec.kcv()))
                        .map(rec)));
    }

    public Future<Void> mismatch(KmsHostSession.Issued issued, byte[] terminalKcv, String flow) {
        return audit.append("kms", flow + ".tmk.kcv_mismatch", issued.sn(), "REFUSED",
                new JsonObject().put("keyIndex", issued.keyIndex()).put("expected", Hex.encode(issued.kcv()))
                        .put("reported", Hex.encode(terminalKcv)));
    }
}
