package dev.posgate.gateway.posp.store;

import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.hsm.LmkKey;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys the POSP uses on every message and that change rarely (zone ZPK/ZAK/ZEK, the PSAM root key):
 * read from key_record and kept for {@code ttlMillis}, so a rotation is picked up within that
 * time without a query per transaction.
 */
public final class SystemKeys {
    /** key_record key_type of the PSAM root (HSM type 40E); key_type is at most 8 characters. */
    public static final String PSAM_ROOT = "PSAMROOT";

    private record Slot(KeyRecord.OwnerType owner, String ownerId, String keyType) {}

    private record Cached(LmkKey key, long loadedAt) {}

    /** No ACTIVE key in the slot: the operator has not provisioned it yet. */
    public static final class MissingKeyException extends RuntimeException {
        public MissingKeyException(String message) {
            super(message);
        }
    }

    private final KeyRepository keys;
    private final long ttlMillis;
    private final Map<Slot, Cached> cache = new ConcurrentHashMap<>();

    public SystemKeys(KeyRepository keys, long ttlMillis) {
        this.keys = keys;
        this.ttlMillis = ttlMillis;
    }

    public Future<LmkKey> zpk(String zone) {
        return get(new Slot(KeyRecord.OwnerType.ZONE, zone, "ZPK"));
    }

    public Future<LmkKey> zak(String zone) {
        return get(new Slot(KeyRecord.OwnerType.ZONE, zone, "ZAK"));
    }

    /** The zone encryption key tracks are re-encrypted under for the host (upstream.track.protection = zek). */
    public Future<LmkKey> zek(String zone) {
        return get(new Slot(KeyRecord.OwnerType.ZONE, zone, "ZEK"));
    }

    public Future<LmkKey> psamRoot(String owner) {
        return get(new Slot(KeyRecord.OwnerType.SYSTEM, owner, PSAM_ROOT));
    }

    /** A PSAM issuing station's transport key (a ZMK), read each time: issuance is rare. */
    public Future<LmkKey> stationTransportKey(String station) {
        return load(new Slot(KeyRecord.OwnerType.SYSTEM, station, "ZMK"));
    }

    private Future<LmkKey> get(Slot slot) {
        Cached c = cache.get(slot);
        if (c != null && System.currentTimeMillis() - c.loadedAt < ttlMillis) return Future.succeededFuture(c.key);
        return load(slot).onSuccess(k -> cache.put(slot, new Cached(k, System.currentTimeMillis())));
    }

    private Future<LmkKey> load(Slot slot) {
        return keys.active(slot.owner, slot.ownerId, slot.keyType, 0).compose(found -> found.isPresent()
                ? Future.succeededFuture(LmkKey.parse(found.get().lmkValue()))
                : Future.failedFuture(new MissingKeyException("no ACTIVE " + slot.keyType + " for " + slot.owner + "/" + slot.ownerId)));
    }
}
