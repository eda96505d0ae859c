package dev.posgate.gateway.kms.admin;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmException;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.kms.store.BatchEntry;
import dev.posgate.gateway.kms.store.KmsIdentity;
import dev.posgate.gateway.kms.store.Sm2KmsIdentity;
import dev.posgate.gateway.kms.store.TransmissionKeyRepository;

/**
 * KMS admin endpoints (under /api, behind the bearer token): the factory batch upload, repair
 * authorisations and certificate revocations. Every outcome is in the audit log.
 */
public final class KmsAdminEndpoints {
    private static final Logger log = LoggerFactory.getLogger(KmsAdminEndpoints.class);
    /** A batch of 1000 terminals is about 400 KiB of base64 TK blocks plus two certificates. */
    private static final long MAX_BATCH = 1024 * 1024;
    private static final String ACTOR = "admin-api";
    private static final int CHECK_LANES = 8;

    private final Vertx vertx;
    private final Hsm hsm;
    private final AuditLog audit;
    private final TransmissionKeyRepository tks;
    private final X509Certificate caRoot;
    private final KmsIdentity kms;
    private final Sm2KmsIdentity sm2Kms;

    public KmsAdminEndpoints(Vertx vertx, Hsm hsm, AuditLog audit, TransmissionKeyRepository tks, X509Certificate caRoot,
            KmsIdentity kms) {
        this(vertx, hsm, audit, tks, caRoot, kms, null);
    }

    /** {@code sm2Kms}: opens the SM2 TK blocks of SM4 terminals (ZY); null: such a block is refused {@code 63}. */
    public KmsAdminEndpoints(Vertx vertx, Hsm hsm, AuditLog audit, TransmissionKeyRepository tks, X509Certificate caRoot,
            KmsIdentity kms, Sm2KmsIdentity sm2Kms) {
        this.sm2Kms = sm2Kms;
        this.vertx = vertx;
        this.hsm = hsm;
        this.audit = audit;
        this.tks = tks;
        this.caRoot = caRoot;
        this.kms = kms;
    }

    public void mount(Router api) {
        api.route("/kms/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BATCH));
        api.post("/kms/batches").handler(this::batch);
        api.post("/kms/repairs").handler(this::repair);
        api.post("/kms/revocations").handler(this::revoke);
    }

    private void batch(RoutingContext ctx) {
        byte[] der = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        tks.revokedSerials()
                .compose(revoked -> vertx.executeBlocking(() ->
                        new BatchVerifier(CertificateVerifier.trusting(caRoot, revoked)).verify(der, Instant.now())))
                .compose(batch -> checkBlocks(batch).compose(checked -> {
                    if (!TransmissionKeyRepository.refusedSns(checked).isEmpty()) {
                        return Future.failedFuture(new TransmissionKeyRepository.BatchRefusedException(checked));
                    }
                    return tks.storeBatch(batch.productionOrder(), batch.operatorSerial(), batch.administratorSerial(),
                            batch.entries(), ACTOR);
                }))
                .onSuccess(results -> respond(ctx, 200, true, results))
                .onFailure(e -> {
                    if (e instanceof BatchRejectedException r) {
                        refusedAudit(r.code, r.getMessage());
                        json(ctx, r.code.equals(ResultCode.FORMAT_ERROR.code()) ? 400 : 403,
                                new JsonObject().put("accepted", false).put("code", r.code).put("error", r.getMessage()));
                    } else if (e instanceof TransmissionKeyRepository.BatchRefusedException r) {
                        refusedAudit("B2/63", "refused SNs " + TransmissionKeyRepository.refusedSns(r.results));
                        respond(ctx, 409, false, r.results);
                    } else {
                        log.error("batch upload failed: {}", e.toString());
                        json(ctx, 503, new JsonObject().put("accepted", false).put("code", ResultCode.SYSTEM_MALFUNCTION.code())
                                .put("error", "HSM or database unavailable"));
                    }
                });
    }

    /**
     * Has the HSM open each TK block (ZI) and check its hash, so a corrupted block is refused at
     * upload rather than at the terminal's first download. The keys it returns are dropped. At most
     * {@link #CHECK_LANES} blocks are in the HSM at once, so a large batch does not starve the pool
     * the terminals' downloads share.
     */
    private Future<Map<String, String>> checkBlocks(SignedBatch batch) {
        Map<String, String> results = new LinkedHashMap<>();
        List<Future<Void>> lanes = new ArrayList<>();
        for (BatchEntry e : batch.entries()) results.put(e.sn(), ResultCode.APPROVED.code());
        for (int lane = 0; lane < CHECK_LANES; lane++) {
            Future<Void> chain = Future.succeededFuture();
            for (int i = lane; i < batch.entries().size(); i += CHECK_LANES) {
                BatchEntry e = batch.entries().get(i);
                chain = chain.compose(v -> open(e.tkBlock())
                        .<Void>mapEmpty()
                        .recover(err -> {
                            if (err instanceof HsmException h && "01".equals(h.errorCode())) {
                                results.put(e.sn(), ResultCode.SECURITY_VIOLATION.code());
                                return Future.succeededFuture();
                            }
                            return Future.failedFuture(err);
                        }));
            }
            lanes.add(chain);
        }
        return Future.all(lanes).map(results);
    }

    private void repair(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        String sn = body == null ? null : body.getString("sn");
        String by = body == null ? null : body.getString("authorisedBy");
        String reason = body == null ? null : body.getString("reason");
        if (sn == null || sn.isEmpty() || sn.length() > 32 || by == null || by.isBlank() || by.length() > 64
                || reason == null || reason.isBlank() || reason.length() > 256) {
            json(ctx, 400, new JsonObject().put("error", "sn, authorisedBy and reason are required"));
            return;
        }
        tks.authoriseRepair(sn, by, reason)
                .onSuccess(id -> json(ctx, 201, new JsonObject().put("id", id).put("sn", sn)))
                .onFailure(e -> json(ctx, 503, new JsonObject().put("error", "database unavailable")));
    }

    private void revoke(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        String serial = body == null ? null : body.getString("serial");
        String reason = body == null ? "unspecified" : body.getString("reason", "unspecified");
        if (serial == null || !serial.matches("[0-9A-Fa-f]{1,64}") || reason.length() > 128) {
            json(ctx, 400, new JsonObject().put("error", "serial (hex) is required"));
            return;
        }
        tks.revoke(serial, reason, ACTOR)
                .onSuccess(v -> json(ctx, 201, new JsonObject().put("serial", serial.toUpperCase(java.util.Locale.ROOT))))
                .onFailure(e -> json(ctx, 503, new JsonObject().put("error", "database unavailable")));
    }

    /** ZI for an RSA block, ZY for an SM2 one (226 bytes, SM4 terminals); HSM error 01 when it does not open. */
    private Future<dev.posgate.hsm.TransmissionKeys> open(byte[] block) {
        if (dev.posgate.protocol.kms.KmsRequests.sm2TkBlock(block)) {
            if (sm2Kms == null) return Future.failedFuture(new dev.posgate.hsm.HsmException("ZY", "01"));
            return hsm.unwrapSm2TransmissionKey(sm2Kms.privateKey(), block);
        }
        return hsm.unwrapTransmissionKey(kms.privateKey(), block);
    }

    private void refusedAudit(String code, String reason) {
        audit.appendRefusal(ACTOR, "kms.batch.refuse", null, "REFUSED", new JsonObject().put("code", code).put("reason", reason));
    }

    private static void respond(RoutingContext ctx, int status, boolean accepted, Map<String, String> results) {
        JsonArray list = new JsonArray();
        results.forEach((sn, code) -> list.add(new JsonObject().put("sn", sn).put("code", code)));
        json(ctx, status, new JsonObject().put("accepted", accepted).put("results", list));
    }

    private static JsonObject jsonBody(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
