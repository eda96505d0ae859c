package dev.posgate.gateway.posp.store;

import dev.posgate.crypto.Hex;
import dev.posgate.gateway.platform.db.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The AID list and CA public key set (V11) as an operator loads them, and the set each terminal
 * confirmed. A set's hash is the SHA-1 over its entries' keys and check hashes in load order, so
 * any change of an entry makes every terminal that confirmed the old set behind.
 */
public final class IcParameters {
    /** How long the current set hashes are cached; a load on this node drops the cache at once. */
    private static final long CURRENT_TTL_NANOS = 30_000_000_000L;

    private final Pool pool;
    private final AuditLog audit;
    private volatile Current current;
    private volatile long currentAt;

    /** The set hashes now loaded, null for a kind with no entries. */
    record Current(String aid, String capk) {
        boolean empty() {
            return aid == null && capk == null;
        }
    }

    public IcParameters(Pool pool, AuditLog audit) {
        this.pool = pool;
        this.audit = audit;
    }

    /** Replaces the whole set of {@code kind}; audited with the new set hash and the entries' keys. */
    public Future<String> load(IcEntry.Kind kind, List<IcEntry> entries, String actor) {
        String hash = setHash(entries);
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            IcEntry e = entries.get(i);
            rows.add(Tuple.of(kind.name(), e.key(), io.vertx.core.buffer.Buffer.buffer(e.tlv()), e.checkHash(), i));
        }
        JsonArray keys = new JsonArray();
        entries.forEach(e -> keys.add(e.key()));
        return pool.withTransaction(tx -> tx.preparedQuery("delete from ic_parameter where kind = $1").execute(Tuple.of(kind.name()))
                .compose(v -> rows.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(
                        "insert into ic_parameter (kind, entry_key, tlv, check_hash, position) values ($1, $2, $3, $4, $5)").executeBatch(rows))
                .compose(v -> audit.append(tx, actor, "posp.ic.load", kind.name(), "OK",
                        new JsonObject().put("setHash", hash).put("entries", keys))))
                .map(v -> hash)
                .onComplete(ar -> current = null);
    }

    /**
     * Processing requirement 1 (download parameters) for a terminal that has not confirmed the
     * current AID list or CA key set, else 0. Nothing loaded costs no query; otherwise one primary
     * key read of the terminal's confirmations per answer.
     */
    public Future<Integer> requirementFor(String tid) {
        return current().compose(now -> {
            if (now.empty()) return Future.succeededFuture(0);
            return pool.preparedQuery("select kind, set_hash from ic_terminal_status where tid = $1").execute(Tuple.of(tid)).map(rows -> {
                String aid = null;
                String capk = null;
                for (Row r : rows) {
                    if ("AID".equals(r.getString(0))) aid = r.getString(1);
                    else capk = r.getString(1);
                }
                boolean behind = (now.aid() != null && !now.aid().equals(aid)) || (now.capk() != null && !now.capk().equals(capk));
                return behind ? 1 : 0;
            });
        });
    }

    private Future<Current> current() {
        Current c = current;
        if (c != null && System.nanoTime() - currentAt < CURRENT_TTL_NANOS) return Future.succeededFuture(c);
        return Future.all(list(IcEntry.Kind.AID), list(IcEntry.Kind.CAPK)).map(sets -> {
            List<IcEntry> aids = sets.resultAt(0);
            List<IcEntry> capks = sets.resultAt(1);
            Current read = new Current(aids.isEmpty() ? null : setHash(aids), capks.isEmpty() ? null : setHash(capks));
            currentAt = System.nanoTime();
            current = read;
            return read;
        });
    }

    public Future<List<IcEntry>> list(IcEntry.Kind kind) {
        return pool.preparedQuery("select entry_key, tlv, check_hash from ic_parameter where kind = $1 order by position")
                .execute(Tuple.of(kind.name())).map(rows -> {
                    List<IcEntry> out = new ArrayList<>();
                    for (Row r : rows) out.add(new IcEntry(kind, r.getString(0), r.getBuffer(1).getBytes(), r.getString(2)));
                    return out;
                });
    }

    /** Records that {@code tid} finished downloading the current set of {@code kind}. */
    public Future<Void> confirm(String tid, IcEntry.Kind kind) {
        return list(kind).compose(entries -> pool.preparedQuery("insert into ic_terminal_status (tid, kind, set_hash) values ($1, $2, $3)"
                        + " on conflict (tid, kind) do update set set_hash = excluded.set_hash, confirmed_at = now()")
                .execute(Tuple.of(tid, kind.name(), setHash(entries)))).mapEmpty();
    }

    /** Whether {@code tid} has not confirmed the current set of one of the kinds that has entries. */
    Future<Boolean> behind(String tid) {
        return terminals(tid).map(list -> !list.isEmpty() && list.getJsonObject(0).getBoolean("behind"));
    }

    /** Registered terminals (or only {@code tid}) with the set hashes they confirmed and whether they are behind. */
    public Future<JsonArray> terminals(String tid) {
        return Future.all(list(IcEntry.Kind.AID), list(IcEntry.Kind.CAPK)).compose(sets -> {
            List<IcEntry> aids = sets.resultAt(0);
            List<IcEntry> capks = sets.resultAt(1);
            String aidHash = aids.isEmpty() ? null : setHash(aids);
            String capkHash = capks.isEmpty() ? null : setHash(capks);
            return pool.preparedQuery("select t.tid, a.set_hash, k.set_hash from terminal t"
                            + " left join ic_terminal_status a on a.tid = t.tid and a.kind = 'AID'"
                            + " left join ic_terminal_status k on k.tid = t.tid and k.kind = 'CAPK'"
                            + " where $1::varchar is null or t.tid = $1 order by t.tid")
                    .execute(Tuple.of(tid)).map(rows -> {
                        JsonArray out = new JsonArray();
                        for (Row r : rows) {
                            boolean behind = (aidHash != null && !aidHash.equals(r.getString(1)))
                                    || (capkHash != null && !capkHash.equals(r.getString(2)));
                            out.add(new JsonObject().put("tid", r.getString(0)).put("aidSetHash", r.getString(1))
                                    .put("capkSetHash", r.getString(2)).put("behind", behind));
                        }
                        return out;
                    });
        });
    }

    public static String setHash(List<IcEntry> entries) {
        StringBuilder sb = new StringBuilder();
        for (IcEntry e : entries) sb.append(e.key()).append(':').append(e.checkHash()).append('\n');
        return Hex.encode(IcEntry.sha1(sb.toString().getBytes(StandardCharsets.US_ASCII)));
    }
}
