package dev.posgate.gateway.tms.store;

import dev.posgate.crypto.Digests;
import dev.posgate.protocol.tms.download.PackageEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Packages in PostgreSQL (V3__tms.sql): one row per vendor/model/name/version with size and
 * SHA-256, the bytes in fixed-size chunks, offered to terminal groups through {@code tms_target}.
 */
public final class PostgresPackageRepository implements PackageRepository {
    /** Chunk size of newly published packages: one default D2 frame, so a frame reads one row. */
    public static final int CHUNK_SIZE = 16 * 1024;

    private static final String SELECT = "select distinct on (p.name) p.id, p.kind, p.name, p.version, p.size, p.sha256, p.chunk_size"
            + " from tms_package p join tms_target t on t.package_id = p.id"
            + " where p.vendor = $1 and p.model in ($2, '*')"
            + " and (t.group_name = '*' or t.group_name in (select g.group_name from tms_terminal_group g where g.sn = $3))";

    private final Vertx vertx;
    private final Pool pool;

    public PostgresPackageRepository(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    @Override
    public Future<Boolean> knowsVendor(String vendor) {
        return pool.preparedQuery("select 1 from tms_package where vendor = $1 limit 1")
                .execute(Tuple.of(vendor)).map(rows -> rows.size() > 0);
    }

    @Override
    public Future<List<PackageInfo>> available(TerminalProfile t) {
        return pool.preparedQuery(SELECT + " order by p.name, p.id desc")
                .execute(Tuple.of(t.vendor(), t.model(), t.serial()))
                .map(rows -> {
                    List<PackageInfo> out = new ArrayList<>();
                    for (Row r : rows) out.add(map(r));
                    return out;
                });
    }

    @Override
    public Future<Optional<PackageInfo>> find(TerminalProfile t, String name, String version) {
        return pool.preparedQuery(SELECT + " and p.name = $4 and p.version = $5 order by p.name, p.id desc")
                .execute(Tuple.of(t.vendor(), t.model(), t.serial(), name, version))
                .map(rows -> rows.size() == 0 ? Optional.<PackageInfo>empty() : Optional.of(map(rows.iterator().next())));
    }

    @Override
    public Future<byte[]> read(PackageInfo pkg, long offset, int length) {
        String[] ref = pkg.ref().split(":");
        long id = Long.parseLong(ref[0]);
        int chunk = Integer.parseInt(ref[1]);
        long end = Math.min(offset + length, pkg.entry().size());
        if (offset >= end) return Future.succeededFuture(new byte[0]);
        int first = (int) (offset / chunk);
        int last = (int) ((end - 1) / chunk);
        return pool.preparedQuery("select seq, data from tms_package_chunk where package_id = $1 and seq between $2 and $3 order by seq")
                .execute(Tuple.of(id, first, last))
                .map(rows -> {
                    byte[] out = new byte[(int) (end - offset)];
                    for (Row r : rows) {
                        byte[] data = r.getBuffer("data").getBytes();
                        long chunkStart = (long) r.getInteger("seq") * chunk;
                        long from = Math.max(offset, chunkStart);
                        long to = Math.min(end, chunkStart + data.length);
                        if (to > from) System.arraycopy(data, (int) (from - chunkStart), out, (int) (from - offset), (int) (to - from));
                    }
                    return out;
                });
    }

    /** Stores a new package version (hashing on a worker thread); its id. Not offered to anyone until targeted. */
    public Future<Long> publish(String vendor, String model, String name, String version, int kind, byte[] data) {
        return vertx.executeBlocking(() -> HexFormat.of().formatHex(Digests.sha256(data)))
                .compose(sha -> pool.withTransaction(tx -> tx.preparedQuery("insert into tms_package"
                                + " (vendor, model, name, version, kind, size, sha256, chunk_size) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id")
                        .execute(Tuple.of(vendor, model, name, version, (short) kind, (long) data.length, sha, CHUNK_SIZE))
                        .compose(rows -> {
                            long id = rows.iterator().next().getLong("id");
                            List<Tuple> chunks = new ArrayList<>();
                            for (int seq = 0; (long) seq * CHUNK_SIZE < data.length; seq++) {
                                int from = seq * CHUNK_SIZE;
                                chunks.add(Tuple.of(id, seq, Buffer.buffer(Arrays.copyOfRange(data, from, Math.min(data.length, from + CHUNK_SIZE)))));
                            }
                            if (chunks.isEmpty()) return Future.succeededFuture(id);
                            return tx.preparedQuery("insert into tms_package_chunk (package_id, seq, data) values ($1, $2, $3)")
                                    .executeBatch(chunks).map(id);
                        })));
    }

    /** Offers a package to a terminal group ({@code *} = every terminal of its vendor/model); false if no such package. */
    public Future<Boolean> target(long packageId, String group) {
        return pool.preparedQuery("insert into tms_target (package_id, group_name) select id, $2 from tms_package where id = $1"
                        + " on conflict do nothing returning package_id")
                .execute(Tuple.of(packageId, group))
                .compose(rows -> rows.size() > 0 ? Future.succeededFuture(true)
                        : pool.preparedQuery("select 1 from tms_package where id = $1").execute(Tuple.of(packageId)).map(r -> r.size() > 0));
    }

    /** Puts a terminal (by serial) into a group. */
    public Future<Void> addToGroup(String serial, String group) {
        return pool.preparedQuery("insert into tms_terminal_group (sn, group_name) values ($1, $2) on conflict do nothing")
                .execute(Tuple.of(serial, group)).mapEmpty();
    }

    private static PackageInfo map(Row r) {
        PackageEntry e = new PackageEntry(r.getShort("kind"), r.getString("name"), r.getString("version"),
                r.getLong("size"), HexFormat.of().parseHex(r.getString("sha256")));
        return new PackageInfo(r.getLong("id") + ":" + r.getInteger("chunk_size"), e);
    }
}
