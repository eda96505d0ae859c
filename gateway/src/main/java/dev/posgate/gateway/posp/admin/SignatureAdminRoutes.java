package dev.posgate.gateway.posp.admin;

import dev.posgate.crypto.Hex;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.posp.store.Signatures;
import dev.posgate.protocol.posp.ElectronicSignature;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.Optional;

/**
 * Operators' access to the electronic signatures terminals uploaded (docs/posp.md, "Electronic
 * signature upload"), under /api (bearer token); every answer with a signature is audited
 * {@code posp.signature.read} (who read which transaction's signature, never the image):
 * <ul>
 *   <li>{@code GET /api/posp/signatures/{journalId}} → the signature of that journal row</li>
 *   <li>{@code GET /api/posp/signatures?tid=&stan=[&batch=]} → the signature of the terminal's
 *       transaction (the latest of that STAN without a batch)</li>
 * </ul>
 * 404 when there is no complete signature; 400 for a malformed id, TID, STAN or batch.
 */
public final class SignatureAdminRoutes {
    private SignatureAdminRoutes() {}

    public static void mount(Router api, Signatures signatures, AuditLog audit) {
        api.get("/posp/signatures/:journalId").handler(ctx -> {
            long id;
            try {
                id = Long.parseLong(ctx.pathParam("journalId"));
                if (id <= 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                send(ctx, 400, new JsonObject().put("error", "journalId must be a positive number"));
                return;
            }
            answer(ctx, signatures.find(id), audit);
        });
        api.get("/posp/signatures").handler(ctx -> {
            String tid = ctx.queryParams().get("tid");
            String stan = ctx.queryParams().get("stan");
            String batch = ctx.queryParams().get("batch");
            if (tid == null || tid.length() != 8 || stan == null || !stan.matches("[0-9]{6}")
                    || (batch != null && !batch.matches("[0-9]{6}"))) {
                send(ctx, 400, new JsonObject().put("error", "tid (8 characters) and stan (6 digits) required; batch 6 digits"));
                return;
            }
            answer(ctx, signatures.find(tid, stan, batch), audit);
        });
    }

    private static void answer(RoutingContext ctx, Future<Optional<Signatures.Stored>> found, AuditLog audit) {
        found.compose(s -> {
            if (s.isEmpty()) return Future.succeededFuture((JsonObject) null);
            Signatures.Stored v = s.get();
            JsonObject detail = new JsonObject().put("journalId", v.journalId()).put("batch", v.batch()).put("stan", v.stan())
                    .put("size", v.image().length).put("sha256", Hex.encode(v.sha256()));
            return audit.append("admin", "posp.signature.read", v.tid(), "ok", detail).map(x -> json(v));
        }).onSuccess(body -> {
            if (body == null) send(ctx, 404, new JsonObject().put("error", "no signature"));
            else send(ctx, 200, body);
        }).onFailure(e -> send(ctx, 500, new JsonObject().put("error", "internal error")));
    }

    static JsonObject json(Signatures.Stored v) {
        JsonArray slip = new JsonArray();
        if (v.slip() != null && v.slip().length > 0) {
            for (ElectronicSignature.SlipItem i : ElectronicSignature.parseSlip(v.slip())) {
                slip.add(new JsonObject().put("tag", i.hexTag()).put("value", Hex.encode(i.value())));
            }
        }
        return new JsonObject().put("journalId", v.journalId()).put("tid", v.tid()).put("batch", v.batch()).put("stan", v.stan())
                .put("mti", v.mti()).put("kind", v.kind()).put("amount", v.amount()).put("panMasked", v.panMasked())
                .put("rrn", v.rrn()).put("authCode", v.authCode()).put("characteristicCode", v.characteristic())
                .put("contentType", v.contentType()).put("size", v.image().length).put("parts", v.parts())
                .put("sha256", Hex.encode(v.sha256())).put("receivedAt", v.receivedAt().toString())
                .put("completedAt", v.completedAt().toString()).put("slip", slip)
                .put("image", Base64.getEncoder().encodeToString(v.image()));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
