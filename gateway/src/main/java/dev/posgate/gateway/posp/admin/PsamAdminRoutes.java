package dev.posgate.gateway.posp.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import dev.posgate.gateway.posp.store.KeyProvisioning;
import dev.posgate.gateway.posp.store.SystemKeys;
import dev.posgate.gateway.posp.wire.PospSettings;

/**
 * Admin API of the PSAM issuing unit, the monitoring unit and POSP key provisioning, under /api
 * (bearer token):
 * <ul>
 *   <li>{@code POST /api/psam/cards} {cardNumber, station} → {cardNumber, cardKey (hex, under the
 *       station's transport key), kcv}</li>
 *   <li>{@code POST /api/psam/root-key} {replace?} → {owner, kcv}: a new PSAM root in the HSM</li>
 *   <li>{@code POST /api/posp/zone-keys} {zone?} → {zone, zpk, zak, zek} (LMK forms and KCVs): new zone keys</li>
 *   <li>{@code PUT /api/psam/bindings/{tid}} {cardNumber} binds (the card's and the terminal's
 *       previous bindings end); {@code DELETE} unbinds; {@code GET} lists the history</li>
 * </ul>
 */
public final class PsamAdminRoutes {
    private PsamAdminRoutes() {}

    public static void mount(Router api, PsamService psam, KeyProvisioning provisioning, PospSettings settings) {
        BodyHandler body = BodyHandler.create().setBodyLimit(4096);
        api.post("/psam/root-key").handler(body).handler(ctx -> {
            JsonObject in = optionalJson(ctx);
            if (in == null) return;
            provisioning.psamRoot(settings.psamRootOwner(), in.getBoolean("replace", false), actor(ctx))
                    .onSuccess(r -> send(ctx, 201, r))
                    .onFailure(e -> fail(ctx, e));
        });
        api.post("/posp/zone-keys").handler(body).handler(ctx -> {
            JsonObject in = optionalJson(ctx);
            if (in == null) return;
            String zone = in.getString("zone", settings.zone());
            if (zone.isEmpty() || zone.length() > 64) {
                send(ctx, 400, new JsonObject().put("error", "zone must be 1..64 characters"));
                return;
            }
            provisioning.zoneKeys(zone, actor(ctx)).onSuccess(r -> send(ctx, 201, r)).onFailure(e -> fail(ctx, e));
        });
        api.post("/psam/cards").handler(body).handler(ctx -> {
            JsonObject in = json(ctx);
            if (in == null) return;
            psam.issue(in.getString("cardNumber"), in.getString("station"), actor(ctx))
                    .onSuccess(k -> send(ctx, 201, new JsonObject().put("cardNumber", in.getString("cardNumber"))
                            .put("cardKey", k.key().toWire()).put("kcv", k.kcv().storedHex())))
                    .onFailure(e -> fail(ctx, e));
        });
        api.put("/psam/bindings/:tid").handler(body).handler(ctx -> {
            JsonObject in = json(ctx);
            if (in == null) return;
            psam.bind(in.getString("cardNumber"), ctx.pathParam("tid"), actor(ctx))
                    .onSuccess(v -> send(ctx, 200, new JsonObject().put("tid", ctx.pathParam("tid"))
                            .put("cardNumber", in.getString("cardNumber"))))
                    .onFailure(e -> fail(ctx, e));
        });
        api.delete("/psam/bindings/:tid").handler(ctx -> psam.unbind(ctx.pathParam("tid"), actor(ctx))
                .onSuccess(v -> send(ctx, 204, null))
                .onFailure(e -> fail(ctx, e)));
        api.get("/psam/bindings/:tid").handler(ctx -> psam.history(ctx.pathParam("tid"))
                .onSuccess(h -> send(ctx, 200, new JsonObject().put("tid", ctx.pathParam("tid")).put("bindings", h)))
                .onFailure(e -> fail(ctx, e)));
    }

    private static String actor(RoutingContext ctx) {
        return "admin";
    }

    /** The body, or {} when there is none (length -1: no body at all, as for a POST with Content-Length: 0). */
    private static JsonObject optionalJson(RoutingContext ctx) {
        return ctx.body().length() <= 0 ? new JsonObject() : json(ctx);
    }

    private static JsonObject json(RoutingContext ctx) {
        try {
            JsonObject o = ctx.body().asJsonObject();
            if (o != null) return o;
        } catch (RuntimeException ignored) {
            // answered below
        }
        send(ctx, 400, new JsonObject().put("error", "body must be a JSON object"));
        return null;
    }

    private static void fail(RoutingContext ctx, Throwable e) {
        if (e instanceof PsamService.PsamException) send(ctx, 400, new JsonObject().put("error", e.getMessage()));
        else if (e instanceof SystemKeys.MissingKeyException || e instanceof KeyProvisioning.RootExistsException) send(ctx, 409, new JsonObject().put("error", e.getMessage()));
        else send(ctx, 500, new JsonObject().put("error", "internal error"));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status);
        if (body == null) ctx.response().end();
        else ctx.response().putHeader("content-type", "application/json").end(body.encode());
    }
}
