package dev.posgate.gateway.posp.store;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encryption at rest of the stored advices (docs/posp.md, "Stored advices at rest"): the packed
 * upstream 0220 waiting in {@code posp_transaction.advice} may carry the full PAN (an offline
 * settlement's field 2), so it is written only encrypted, TDES-CBC under a data encryption key
 * (payShield type 00B, DEK) with a random IV, by the HSM (M0), and decrypted by the HSM (M2) only
 * when the advice queue forwards it. The DEK exists only under the LMK, in {@code key_record}
 * (SYSTEM / {@value #OWNER} / {@value #KEY_TYPE}): generated in the HSM (A0) on the first start
 * and audited, like the gateway's other long-lived keys. Each row names the key_record id it was
 * sealed under ({@code advice_key_id}, with {@code advice_iv}), so a new ACTIVE version seals new
 * advices while the rows under a retired one still open. Padding is ISO/IEC 9797-1 method 2
 * ({@code 80 00..}); clear copies are wiped once used.
 */
public final class AdviceVault {
    private static final Logger log = LoggerFactory.getLogger(AdviceVault.class);
    /** key_record owner_id and key_type of the advice DEK (key_type is at most 8 characters). */
    public static final String OWNER = "posp";
    public static final String KEY_TYPE = "ADVDEK";
    private static final int BLOCK = 8;

    /** An advice as it is stored: the key_record id of its DEK, the CBC IV and the ciphertext. */
    public record Sealed(long keyId, byte[] iv, byte[] body) {}

    private record Active(long id, LmkKey key, long loadedAt) {}

    private final Hsm hsm;
    private final KeyRepository keys;
    private final AuditLog audit;
    private final long ttlMillis;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, LmkKey> byId = new ConcurrentHashMap<>();
    private volatile Active active;

    public AdviceVault(Hsm hsm, KeyRepository keys, AuditLog audit, long ttlMillis) {
        this.hsm = hsm;
        this.keys = keys;
        this.audit = audit;
        this.ttlMillis = ttlMillis;
    }

    /**
     * Makes sure an ACTIVE advice DEK exists: generated in the HSM on the first start. Two nodes
     * starting together both generate one; the slot's unique constraints keep the first stored and
     * the other node reads it.
     */
    public Future<Void> ensure() {
        return loadActive().compose(found -> found != null ? Future.<Void>succeededFuture() : create()
                .recover(e -> loadActive().compose(again -> again != null ? Future.<Void>succeededFuture() : Future.failedFuture(e))))
                .mapEmpty();
    }

    private Future<Void> create() {
        log.info("start-up: generating the stored-advice data encryption key (DEK) in the HSM");
        return hsm.generateKey(KeyType.DEK).compose(dek -> keys.pool().withTransaction(tx -> keys.store(tx,
                        KeyRecord.OwnerType.SYSTEM, OWNER, KEY_TYPE, 0, dek.key().toWire(), dek.kcv().storedHex(), KeyRecord.State.ACTIVE)
                .compose(rec -> audit.append(tx, "system", "posp.advice_key", "system:" + OWNER, "OK",
                        new JsonObject().put("kcv", rec.kcv()).put("version", rec.version()).put("keyId", rec.id()))
                        .map(rec))))
                .onSuccess(rec -> log.info("stored-advice DEK created under the LMK, version {}, kcv {}", rec.version(), rec.kcv()))
                .mapEmpty();
    }

    private Future<Active> loadActive() {
        return keys.active(KeyRecord.OwnerType.SYSTEM, OWNER, KEY_TYPE, 0).map(found -> {
            if (found.isEmpty()) return null;
            KeyRecord k = found.get();
            LmkKey key = LmkKey.parse(k.lmkValue());
            byId.put(k.id(), key);
            Active a = new Active(k.id(), key, System.currentTimeMillis());
            active = a;
            return a;
        });
    }

    private Future<Active> current() {
        Active a = active;
        if (a != null && System.currentTimeMillis() - a.loadedAt < ttlMillis) return Future.succeededFuture(a);
        return loadActive().compose(found -> found != null ? Future.succeededFuture(found)
                : Future.failedFuture(new SystemKeys.MissingKeyException("no ACTIVE " + KEY_TYPE + " for SYSTEM/" + OWNER)));
    }

    private Future<LmkKey> key(long id) {
        LmkKey k = byId.get(id);
        if (k != null) return Future.succeededFuture(k);
        return keys.pool().preparedQuery("select lmk_value from key_record where id = $1 and owner_type = 'SYSTEM'"
                        + " and owner_id = $2 and key_type = $3")
                .execute(Tuple.of(id, OWNER, KEY_TYPE))
                .compose(rows -> {
                    if (rows.size() == 0) return Future.failedFuture(new IllegalStateException("no advice key " + id));
                    LmkKey key = LmkKey.parse(rows.iterator().next().getString(0));
                    byId.put(id, key);
                    return Future.succeededFuture(key);
                });
    }

    /** {@code message} encrypted under the ACTIVE DEK; {@code message} is wiped. */
    public Future<Sealed> seal(byte[] message) {
        byte[] padded = pad(message);
        Arrays.fill(message, (byte) 0);
        byte[] iv = new byte[BLOCK];
        random.nextBytes(iv);
        return current().compose(a -> hsm.encryptData(KeyType.DEK, a.key, CipherMode.CBC, iv.clone(), padded)
                        .map(body -> new Sealed(a.id, iv, body)))
                .onComplete(ar -> Arrays.fill(padded, (byte) 0));
    }

    /** The message {@link #seal} stored; the caller wipes it once used. */
    public Future<byte[]> open(long keyId, byte[] iv, byte[] body) {
        return key(keyId).compose(k -> hsm.decryptData(KeyType.DEK, k, CipherMode.CBC, iv, body)).compose(padded -> {
            try {
                return Future.succeededFuture(unpad(padded));
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(e);
            } finally {
                Arrays.fill(padded, (byte) 0);
            }
        });
    }

    /**
     * Seals the advices a gateway before this protection stored in clear (QUEUED rows with no key
     * id); run at start-up before the advice queue. Returns how many were sealed.
     */
    public Future<Integer> sealStoredInClear(Pool pool) {
        return pool.preparedQuery("select id, advice from posp_transaction where advice is not null and advice_key_id is null")
                .execute()
                .compose(rows -> {
                    List<Future<Integer>> done = new ArrayList<>();
                    for (Row r : rows) {
                        long id = r.getLong(0);
                        done.add(seal(r.getBuffer(1).getBytes()).compose(s -> pool.preparedQuery("update posp_transaction"
                                        + " set advice = $2, advice_key_id = $3, advice_iv = $4 where id = $1 and advice_key_id is null")
                                .execute(Tuple.of(id, Buffer.buffer(s.body()), s.keyId(), Buffer.buffer(s.iv())))
                                .map(u -> u.rowCount())));
                    }
                    return Future.all(done).map(cf -> {
                        int n = 0;
                        for (int i = 0; i < done.size(); i++) n += cf.<Integer>resultAt(i);
                        if (n > 0) log.info("start-up: {} stored advice(s) written before their encryption sealed under the DEK", n);
                        return n;
                    });
                });
    }

    /** ISO/IEC 9797-1 padding method 2: 80 then 00 up to a whole number of blocks. */
    static byte[] pad(byte[] data) {
        byte[] out = new byte[(data.length / BLOCK + 1) * BLOCK];
        System.arraycopy(data, 0, out, 0, data.length);
        out[data.length] = (byte) 0x80;
        return out;
    }

    static byte[] unpad(byte[] padded) {
        int i = padded.length - 1;
        while (i >= 0 && padded[i] == 0) i--;
        if (i < 0 || padded[i] != (byte) 0x80 || padded.length - i > BLOCK) {
            throw new IllegalArgumentException("stored advice does not decrypt to a padded message");
        }
        return Arrays.copyOf(padded, i);
    }
}
