package dev.posgate.gateway.kms.store;

import dev.posgate.crypto.Rsa;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.platform.ca.Sm2CertificateAuthority;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.LmkPrivateKey;
import dev.posgate.hsm.LmkSm2PrivateKey;
import dev.posgate.protocol.pki.CertificateRejectedException;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the gateway's RSA identities from {@code kms_identity}, or creates one: the HSM generates
 * the key pair (EI, private key under the LMK) and the CA certifies the public key. An identity
 * whose certificate no longer verifies against the current CA (new CA, expired) is replaced.
 */
public final class KmsIdentities {
    private static final Logger log = LoggerFactory.getLogger(KmsIdentities.class);
    private static final int DAYS = 2 * 365;

    private final Vertx vertx;
    private final Pool db;
    private final Hsm hsm;
    private final AuditLog audit;
    private final int bits;
    /** hsm.keygen.timeout.ms, named in the start-up log while a key pair is generated. */
    private final long keygenTimeoutMs;

    public KmsIdentities(Vertx vertx, Pool db, Hsm hsm, AuditLog audit, int bits) {
        this(vertx, db, hsm, audit, bits, 0);
    }

    public KmsIdentities(Vertx vertx, Pool db, Hsm hsm, AuditLog audit, int bits, long keygenTimeoutMs) {
        this.vertx = vertx;
        this.db = db;
        this.hsm = hsm;
        this.audit = audit;
        this.bits = bits;
        this.keygenTimeoutMs = keygenTimeoutMs;
    }

    public Future<KmsIdentity> ensure(String name, CertificateRole role, CertificateAuthority ca) {
        return load(name).compose(stored -> {
            if (stored == null) return create(name, role, ca, null).compose(v -> load(name)).compose(id -> verified(name, role, ca, id, false));
            log.info("start-up: {} identity loaded from the database", name);
            return verified(name, role, ca, stored, true);
        });
    }

    /** The stored identity if it verifies; otherwise (when {@code replace}) a new one. */
    private Future<KmsIdentity> verified(String name, CertificateRole role, CertificateAuthority ca, Stored stored, boolean replace) {
        return vertx.executeBlocking(() -> {
            try {
                return new KmsIdentity(CertificateVerifier.trusting(ca.root()).verify(stored.der(), role, Instant.now().plusSeconds(86400)),
                        LmkPrivateKey.fromBase64(stored.key()));
            } catch (CertificateRejectedException e) {
                if (!replace) throw new IllegalStateException(name + " identity does not verify: " + e.getMessage());
                log.warn("{} certificate no longer valid ({}): issuing a new identity", name, e.reason());
                return null;
            }
        }).compose(id -> id != null ? Future.succeededFuture(id)
                : create(name, role, ca, stored.der()).compose(v -> load(name)).compose(s -> verified(name, role, ca, s, false)));
    }

    private record Stored(byte[] der, String key) {}

    private Future<Stored> load(String name) {
        return db.preparedQuery("select certificate, private_key_lmk from kms_identity where name = $1")
                .execute(Tuple.of(name))
                .map(rows -> {
                    if (rows.size() == 0) return null;
                    var row = rows.iterator().next();
                    return new Stored(row.getBuffer("certificate").getBytes(), row.getString("private_key_lmk"));
                });
    }

    /**
     * Generates the pair in the HSM and stores it, unless another gateway instance got there first:
     * a new name is inserted only if absent, a replacement only if the row still holds
     * {@code replacing}; the caller then re-reads, so every instance ends up with the same identity.
     */
    private Future<Void> create(String name, CertificateRole role, CertificateAuthority ca, byte[] replacing) {
        log.info("start-up: generating the {} identity key pair in the HSM (RSA-{}, EI{})...", name, bits,
                keygenTimeoutMs > 0 ? ", timeout " + Math.max(1, keygenTimeoutMs / 1000) + " s, hsm.keygen.timeout.ms" : "");
        return hsm.generateRsaKeyPair(bits)
                .compose(pair -> vertx.executeBlocking(() -> new KmsIdentity(
                        ca.issue(name, Rsa.decodePublicKey(pair.publicKeyDer()), role, DAYS), pair.privateKey())))
                .compose(id -> db.withTransaction(tx -> (replacing == null
                                ? tx.preparedQuery("insert into kms_identity (name, certificate, private_key_lmk) values ($1, $2, $3)"
                                        + " on conflict (name) do nothing")
                                        .execute(Tuple.of(name, Buffer.buffer(id.certificateDer()), id.privateKey().toBase64()))
                                : tx.preparedQuery("update kms_identity set certificate = $2, private_key_lmk = $3, created_at = now()"
                                        + " where name = $1 and certificate = $4")
                                        .execute(Tuple.of(name, Buffer.buffer(id.certificateDer()), id.privateKey().toBase64(),
                                                Buffer.buffer(replacing))))
                        .compose(r -> r.rowCount() == 0 ? Future.<Void>succeededFuture()
                                : audit.append(tx, "system", "kms.identity.create", name, "OK",
                                        new JsonObject().put("serial", CertificateVerifier.serial(id.certificate())).put("role", role.name()))
                                .onSuccess(v -> log.info("{} identity created in the HSM, certificate {}", name,
                                        CertificateVerifier.serial(id.certificate()))))));
    }

    /**
     * The SM2 identity {@code name} (the KMS of SM4 terminals): loaded from {@code kms_identity}
     * if its certificate verifies under the SM2 root {@code ca}, else created (K1 pair, usage
     * both: K3 signatures and WO imports; the SM2 CA certifies it) and stored, as {@link #ensure}.
     */
    public Future<Sm2KmsIdentity> ensureSm2(String name, CertificateRole role, Sm2CertificateAuthority ca) {
        return load(name).compose(stored -> {
            if (stored != null) {
                try {
                    return Future.succeededFuture(new Sm2KmsIdentity(CertificateVerifier.trusting(ca.root())
                            .verify(stored.der(), role, Instant.now().plusSeconds(86400)), LmkSm2PrivateKey.fromBase64(stored.key())));
                } catch (CertificateRejectedException | IllegalArgumentException e) {
                    log.warn("{} certificate no longer valid ({}): issuing a new SM2 identity", name, e.getMessage());
                }
            }
            log.info("start-up: generating the {} identity key pair in the HSM (SM2, K1)...", name);
            return hsm.generateSm2KeyPair(dev.posgate.hsm.RsaKeyUsage.BOTH)
                    .compose(pair -> ca.issue(name, pair.publicKey(), role, DAYS).map(cert -> new Sm2KmsIdentity(cert, pair.privateKey())))
                    .compose(id -> db.withTransaction(tx -> (stored == null
                                    ? tx.preparedQuery("insert into kms_identity (name, certificate, private_key_lmk) values ($1, $2, $3)"
                                            + " on conflict (name) do nothing")
                                            .execute(Tuple.of(name, Buffer.buffer(id.certificateDer()), id.privateKey().toBase64()))
                                    : tx.preparedQuery("update kms_identity set certificate = $2, private_key_lmk = $3, created_at = now()"
                                            + " where name = $1 and certificate = $4")
                                            .execute(Tuple.of(name, Buffer.buffer(id.certificateDer()), id.privateKey().toBase64(),
                                                    Buffer.buffer(stored.der()))))
                            .compose(r -> r.rowCount() == 0 ? Future.<Void>succeededFuture()
                                    : audit.append(tx, "system", "kms.identity.create", name, "OK", new JsonObject()
                                            .put("serial", CertificateVerifier.serial(id.certificate())).put("role", role.name())
                                            .put("algorithm", "SM2")))))
                    // another instance may have won the insert: everyone ends with the stored row
                    .compose(v -> load(name))
                    .map(s -> {
                        try {
                            return new Sm2KmsIdentity(CertificateVerifier.trusting(ca.root())
                                    .verify(s.der(), role, Instant.now()), LmkSm2PrivateKey.fromBase64(s.key()));
                        } catch (CertificateRejectedException e) {
                            throw new IllegalStateException(name + " identity does not verify: " + e.getMessage());
                        }
                    });
        });
    }
}
