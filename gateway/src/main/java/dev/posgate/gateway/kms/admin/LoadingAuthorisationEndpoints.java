package dev.posgate.gateway.kms.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.kms.store.AuthorisationRefusedException;
import dev.posgate.gateway.kms.store.LoadingAuthorisations;
import dev.posgate.gateway.kms.store.LoadingStatement;
import dev.posgate.gateway.kms.store.LoadingStatementVerifier;

/**
 * Key-loading authorisations on the admin API (under /api/kms, behind the bearer token; docs/kms.md):
 * the bearer token lets a request in, but only a card's signature opens or approves. Open and
 * approve take a signed {@link LoadingStatement} as the body (DER CMS SignedData); list and
 * revoke need only the token (revoking only takes a permission away). Refusals are audited.
 */
public final class LoadingAuthorisationEndpoints {
    private static final Logger log = LoggerFactory.getLogger(LoadingAuthorisationEndpoints.class);
    private static final int MAX_STATEMENT = 16 * 1024;
    private static final String ACTOR = "admin-api";

    private final Vertx vertx;
    private final LoadingAuthorisations authorisations;
    private final dev.posgate.gateway.platform.db.AuditLog audit;
    /** The posgate CA with the current revocations, read per request. */
    private final Supplier<Future<LoadingStatementVerifier>> verifier;
    private final int ttlDefault;
    private final int ttlMax;

    public LoadingAuthorisationEndpoints(Vertx vertx, LoadingAuthorisations authorisations, dev.posgate.gateway.platform.db.AuditLog audit,
            Supplier<Future<LoadingStatementVerifier>> verifier, int ttlDefault, int ttlMax) {
        this.vertx = vertx;
        this.authorisations = authorisations;
        this.audit = audit;
        this.verifier = verifier;
        this.ttlDefault = ttlDefault;
        this.ttlMax = ttlMax;
    }

    /** Mounted after KmsAdminEndpoints, whose body handler covers /kms/*. */
    public void mount(Router api) {
        api.post("/kms/loading-authorisations").handler(this::open);
        api.post("/kms/loading-authorisations/:id/approval").handler(this::approve);
        api.post("/kms/loading-authorisations/:id/revocation").handler(this::revoke);
        api.get("/kms/loading-authorisations").handler(this::list);
    }

    private void open(RoutingContext ctx) {
        byte[] der = body(ctx);
        if (der == null) return;
        verified(der, LoadingStatement.OPEN)
                .compose(s -> {
                    Integer asked = s.statement().ttlSeconds();
                    int ttl = asked == null ? ttlDefault : asked;
                    if (ttl < 1 || ttl > ttlMax) {
                        return Future.failedFuture(new AuthorisationRefusedException(400, "ttlSeconds must be 1.." + ttlMax));
                    }
                    return authorisations.open(s, ttl);
                })
                .onSuccess(out -> json(ctx, 201, out))
                .onFailure(e -> refused(ctx, "open", null, e));
    }

    private void approve(RoutingContext ctx) {
        UUID id = id(ctx);
        if (id == null) return;
        byte[] der = body(ctx);
        if (der == null) return;
        verified(der, LoadingStatement.APPROVE)
                .compose(s -> s.statement().id().equals(id) ? authorisations.approve(s)
                        : Future.failedFuture(new AuthorisationRefusedException(400, "statement is for another authorisation")))
                .onSuccess(out -> json(ctx, 200, out))
                .onFailure(e -> refused(ctx, "approve", id, e));
    }

    private void revoke(RoutingContext ctx) {
        UUID id = id(ctx);
        if (id == null) return;
        authorisations.revoke(id, ACTOR)
                .onSuccess(out -> json(ctx, 200, out))
                .onFailure(e -> refused(ctx, "revoke", id, e));
    }

    private void list(RoutingContext ctx) {
        String sn = ctx.queryParams().get("sn");
        if (sn != null && !sn.matches("[\\x20-\\x7E]{1,32}")) {
            json(ctx, 400, new JsonObject().put("error", "sn must be 1-32 printable ASCII characters"));
            return;
        }
        authorisations.list(sn)
                .onSuccess(rows -> json(ctx, 200, new JsonObject().put("authorisations", rows)))
                .onFailure(e -> refused(ctx, "list", null, e));
    }

    private Future<LoadingStatementVerifier.Signed> verified(byte[] der, String action) {
        return verifier.get().compose(v -> vertx.executeBlocking(() -> v.verify(der, action, Instant.now()), false));
    }

    private void refused(RoutingContext ctx, String step, UUID id, Throwable e) {
        if (e instanceof AuthorisationRefusedException r) {
            audit.appendRefusal(ACTOR, "loader.authorisation.refuse", null, String.valueOf(r.httpStatus),
                    new JsonObject().put("step", step).put("id", id == null ? null : id.toString()).put("reason", r.getMessage()));
            json(ctx, r.httpStatus, new JsonObject().put("error", r.getMessage()));
        } else {
            log.error("loading authorisation {} failed: {}", step, e.toString());
            json(ctx, 503, new JsonObject().put("error", "database unavailable"));
        }
    }

    private static byte[] body(RoutingContext ctx) {
        byte[] der = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (der.length == 0 || der.length > MAX_STATEMENT) {
            json(ctx, 400, new JsonObject().put("error", "body must be a signed statement (DER CMS SignedData, at most "
                    + MAX_STATEMENT + " bytes)"));
            return null;
        }
        return der;
    }

    private static UUID id(RoutingContext ctx) {
        try {
            return UUID.fromString(ctx.pathParam("id"));
        } catch (RuntimeException e) {
            json(ctx, 400, new JsonObject().put("error", "id must be a UUID"));
            return null;
        }
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
