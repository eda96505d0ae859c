package dev.posgate.gateway.posp.store;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Generates the POSP's own keys in the HSM and stores them under the LMK as the next ACTIVE
 * version: the zone ZPK/ZAK pair shared with the upstream host (development and demos: the host
 * simulator is started with the same LMK-encrypted values) and the PSAM root key. Nodes pick a
 * new key up within the {@link SystemKeys} cache time.
 */
public final class KeyProvisioning {
    /** Refused: a PSAM root exists and replacing it was not asked for. */
    public static final class RootExistsException extends RuntimeException {
        public RootExistsException() {
            super("a PSAM root key is ACTIVE; replacing it orphans every issued card (send replace=true)");
        }
    }

    private final Hsm hsm;
    private final KeyRepository keys;
    private final AuditLog audit;

    public KeyProvisioning(Hsm hsm, KeyRepository keys, AuditLog audit) {
        this.hsm = hsm;
        this.keys = keys;
        this.audit = audit;
    }

    /** New ZPK and ZAK for {@code zone}; the answer carries their LMK forms and KCVs (no clear key). */
    public Future<JsonObject> zoneKeys(String zone, String actor) {
        return Future.all(hsm.generateKey(KeyType.ZPK), hsm.generateKey(KeyType.ZAK), hsm.generateKey(KeyType.ZEK)).compose(all -> {
            KeyWithKcv zpk = all.resultAt(0);
            KeyWithKcv zak = all.resultAt(1);
            KeyWithKcv zek = all.resultAt(2); // tracks toward the host (upstream.track.protection = zek)
            return keys.pool().withTransaction(tx -> keys.store(tx, KeyRecord.OwnerType.ZONE, zone, "ZPK", 0,
                                    zpk.key().toWire(), zpk.kcv().storedHex(), KeyRecord.State.ACTIVE)
                            .compose(v -> keys.store(tx, KeyRecord.OwnerType.ZONE, zone, "ZAK", 0,
                                    zak.key().toWire(), zak.kcv().storedHex(), KeyRecord.State.ACTIVE))
                            .compose(v -> keys.store(tx, KeyRecord.OwnerType.ZONE, zone, "ZEK", 0,
                                    zek.key().toWire(), zek.kcv().storedHex(), KeyRecord.State.ACTIVE))
                            .compose(v -> audit.append(tx, actor, "posp.zone_keys", "zone:" + zone, "OK",
                                    new JsonObject().put("zpkKcv", zpk.kcv().storedHex()).put("zakKcv", zak.kcv().storedHex())
                                            .put("zekKcv", zek.kcv().storedHex()))))
                    .map(v -> new JsonObject().put("zone", zone)
                            .put("zpk", new JsonObject().put("underLmk", zpk.key().toWire()).put("kcv", zpk.kcv().storedHex()))
                            .put("zak", new JsonObject().put("underLmk", zak.key().toWire()).put("kcv", zak.kcv().storedHex()))
                            .put("zek", new JsonObject().put("underLmk", zek.key().toWire()).put("kcv", zek.kcv().storedHex())));
        });
    }

    /** A new PSAM root key under {@code owner}; refused while one is ACTIVE unless {@code replace}. */
    public Future<JsonObject> psamRoot(String owner, boolean replace, String actor) {
        return keys.active(KeyRecord.OwnerType.SYSTEM, owner, SystemKeys.PSAM_ROOT, 0).compose(current -> {
            if (current.isPresent() && !replace) return Future.failedFuture(new RootExistsException());
            return hsm.generateKey(KeyType.PSAM_ROOT).compose(root -> keys.pool().withTransaction(tx -> keys.store(tx,
                                    KeyRecord.OwnerType.SYSTEM, owner, SystemKeys.PSAM_ROOT, 0, root.key().toWire(),
                                    root.kcv().storedHex(), KeyRecord.State.ACTIVE)
                            .compose(v -> audit.append(tx, actor, "psam.root_key", "psam:" + owner, "OK",
                                    new JsonObject().put("kcv", root.kcv().storedHex()).put("replaced", current.isPresent()))))
                    .map(v -> new JsonObject().put("owner", owner).put("kcv", root.kcv().storedHex())));
        });
    }
}
