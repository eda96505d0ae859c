package dev.posgate.gateway.tms.store;

import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.hsm.LmkKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Per-terminal DMKs: key_record rows of owner TERMINAL/serial, type DMK, index 0, under the LMK.
 * A DMK is injected at installation and never updated online; a new provisioning is a new
 * version that retires the old one.
 */
public final class DmkStore {
    static final String KEY_TYPE = "DMK";

    private final KeyRepository keys;

    public DmkStore(KeyRepository keys) {
        this.keys = keys;
    }

    public Future<Optional<LmkKey>> active(String serial) {
        return keys.active(KeyRecord.OwnerType.TERMINAL, serial, KEY_TYPE, 0)
                .map(k -> k.map(r -> LmkKey.parse(r.lmkValue())));
    }

    /** Stores the DMK as the serial's ACTIVE version; {@code audit} runs in the same transaction. */
    public Future<KeyRecord> store(String serial, LmkKey dmk, String kcvHex, BiFunction<SqlClient, KeyRecord, Future<Void>> audit) {
        return keys.pool().withTransaction(tx -> keys.store(tx, KeyRecord.OwnerType.TERMINAL, serial, KEY_TYPE, 0,
                        dmk.toWire(), kcvHex, KeyRecord.State.ACTIVE)
                .compose(stored -> audit.apply(tx, stored).map(stored)));
    }
}
