package dev.posgate.gateway.tms.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Per-terminal rollout status (tms_rollout): offered by D1, downloading/downloaded by D2, installed or failed by D3. */
public final class RolloutRepository {
    public enum Status { OFFERED, DOWNLOADING, DOWNLOADED, INSTALLED, FAILED }

    private final Pool pool;

    public RolloutRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records {@code status}. OFFERED never overwrites a later stage of the same version, and an
     * INSTALLED reported again by D1 (without a result code) keeps the first report's row.
     */
    public Future<Void> record(String sn, String vendor, String name, String version, Status status, Integer result) {
        String guard = status == Status.OFFERED ? " where tms_rollout.status in ('OFFERED')"
                : status == Status.INSTALLED && result == null ? " where tms_rollout.status <> 'INSTALLED'" : "";
        return pool.preparedQuery("insert into tms_rollout (sn, vendor, name, version, status, result) values ($1, $2, $3, $4, $5, $6)"
                        + " on conflict (sn, vendor, name, version) do update set status = excluded.status,"
                        + " result = excluded.result, updated_at = now()" + guard)
                .execute(Tuple.of(sn, vendor, name, version, status.name(), result == null ? null : result.shortValue()))
                .mapEmpty();
    }

    /** Names/versions this terminal reported INSTALLED. */
    public Future<List<String>> installed(String sn, String vendor) {
        return pool.preparedQuery("select name, version from tms_rollout where sn = $1 and vendor = $2 and status = 'INSTALLED'")
                .execute(Tuple.of(sn, vendor))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    for (Row r : rows) out.add(r.getString("name") + "\u0000" + r.getString("version"));
                    return out;
                });
    }

    /** Status per terminal for one package version. */
    public Future<JsonArray> status(String vendor, String name, String version) {
        return pool.preparedQuery("select sn, status, result, updated_at from tms_rollout"
                        + " where vendor = $1 and name = $2 and version = $3 order by sn")
                .execute(Tuple.of(vendor, name, version))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rows) {
                        out.add(new JsonObject().put("sn", r.getString("sn")).put("status", r.getString("status"))
                                .put("result", r.getValue("result")).put("updatedAt", r.getOffsetDateTime("updated_at").toString()));
                    }
                    return out;
                });
    }
}
