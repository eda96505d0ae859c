package dev.posgate.gateway.platform.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * LMK-encrypted keys with versions. A new key is stored PENDING or ACTIVE; activating one
 * retires the previous ACTIVE key of the same slot in the same transaction, so a slot never
 * has two active keys nor none in between (a partial unique index enforces the first).
 */
public final class KeyRepository {
    private static final String COLUMNS =
            "id, owner_type, owner_id, key_type, key_index, version, lmk_value, kcv, state, created_at";

    private final Pool pool;

    public KeyRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Stores the next version of a key slot in the given state; ACTIVE retires the current one. */
    public Future<KeyRecord> store(SqlClient tx, KeyRecord.OwnerType ownerType, String ownerId, String keyType,
            int keyIndex, String lmkValue, String kcv, KeyRecord.State state) {
        Future<Void> retire = state == KeyRecord.State.ACTIVE
                ? retireActive(tx, ownerType, ownerId, keyType, keyIndex)
                : Future.succeededFuture();
        // Two concurrent stores into one slot compute the same version; the unique constraint
        // then refuses the second rather than letting versions collide.
        return retire.compose(v -> tx.preparedQuery(
            "insert into key_record (owner_type, owner_id, key_type, key_index, version, lmk_value, kcv, state, activated_at)"
                + " select $1::varchar, $2::varchar, $3::varchar, $4::smallint, coalesce(max(version), 0) + 1,"
                + " $5::varchar, $6::varchar, $7::varchar, case when $7::varchar = 'ACTIVE' then now() end"
                + " from key_record where owner_type = $1::varchar and owner_id = $2::varchar"
                + " and key_type = $3::varchar and key_index = $4::smallint"
                + " returning " + COLUMNS)
                .execute(Tuple.of(ownerType.name(), ownerId, keyType, (short) keyIndex, lmkValue, kcv, state.name()))
                .map(rows -> map(rows.iterator().next())));
    }

    /** Makes a PENDING key ACTIVE and retires the previous one; fails if it is not PENDING. */
    public Future<KeyRecord> activate(SqlClient tx, long id) {
        return tx.preparedQuery("select " + COLUMNS + " from key_record where id = $1 for update")
                .execute(Tuple.of(id))
                .compose(rows -> {
                    if (rows.size() == 0) return Future.failedFuture(new IllegalStateException("no key " + id));
                    KeyRecord k = map(rows.iterator().next());
                    if (k.state() != KeyRecord.State.PENDING) {
                        return Future.failedFuture(new IllegalStateException("key " + id + " is " + k.state()));
                    }
                    return retireActive(tx, k.ownerType(), k.ownerId(), k.keyType(), k.keyIndex())
                            .compose(v -> tx.preparedQuery("update key_record set state = 'ACTIVE', activated_at = now()"
                                            + " where id = $1 returning " + COLUMNS)
                                    .execute(Tuple.of(id)))
                            .map(r -> map(r.iterator().next()));
                });
    }

    public Future<Optional<KeyRecord>> active(KeyRecord.OwnerType ownerType, String ownerId, String keyType, int keyIndex) {
        return latest(ownerType, ownerId, keyType, keyIndex, KeyRecord.State.ACTIVE);
    }

    public Future<Optional<KeyRecord>> latest(KeyRecord.OwnerType ownerType, String ownerId, String keyType,
            int keyIndex, KeyRecord.State state) {
        return pool.preparedQuery("select " + COLUMNS + " from key_record where owner_type = $1 and owner_id = $2"
                        + " and key_type = $3 and key_index = $4 and state = $5 order by version desc limit 1")
                .execute(Tuple.of(ownerType.name(), ownerId, keyType, (short) keyIndex, state.name()))
                .map(rows -> rows.size() == 0 ? Optional.<KeyRecord>empty() : Optional.of(map(rows.iterator().next())));
    }

    private static Future<Void> retireActive(SqlClient tx, KeyRecord.OwnerType ownerType, String ownerId,
            String keyType, int keyIndex) {
        return tx.preparedQuery("update key_record set state = 'RETIRED', retired_at = now()"
                        + " where owner_type = $1 and owner_id = $2 and key_type = $3 and key_index = $4 and state = 'ACTIVE'")
                .execute(Tuple.of(ownerType.name(), ownerId, keyType, (short) keyIndex))
                .mapEmpty();
    }

    private static KeyRecord map(Row r) {
        return new KeyRecord(
                r.getLong("id"),
                KeyRecord.OwnerType.valueOf(r.getString("owner_type")),
                r.getString("owner_id"),
                r.getString("key_type"),
                r.getShort("key_index"),
                r.getInteger("version"),
                r.getString("lmk_value"),
                r.getString("kcv"),
                KeyRecord.State.valueOf(r.getString("state")),
                r.getOffsetDateTime("created_at"));
    }
}
