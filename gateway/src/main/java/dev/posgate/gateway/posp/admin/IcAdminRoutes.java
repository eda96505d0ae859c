package dev.posgate.gateway.posp.admin;

import dev.posgate.crypto.Hex;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import dev.posgate.gateway.posp.store.IcEntry;
import dev.posgate.gateway.posp.store.IcParameters;
import dev.posgate.gateway.posp.wire.IcParameterHandler;

/**
 * Admin API of the IC-card parameters, under /api (bearer token):
 * <ul>
 *   <li>{@code PUT /api/posp/ic/aids} and {@code PUT /api/posp/ic/capks} {entries: [hex TLV body, ...]}
 *       replace the whole set (audited {@code posp.ic.load}) → {count, setHash}; a CA key's DF03 must be
 *       its EMV check hash, keys must be unique: 400 otherwise, nothing replaced</li>
 *   <li>{@code GET} of the same paths → {setHash, entries: [{key, tlv, checkHash}]}</li>
 *   <li>{@code GET /api/posp/ic/terminals[?behind=true]} → {terminals: [{tid, aidSetHash, capkSetHash, behind}]}</li>
 * </ul>
 */
public final class IcAdminRoutes {
    /** A set of a few dozen keys of up to 2048 bits in hex fits well within this. */
    private static final int BODY_LIMIT = 256 * 1024;
    private static final int MAX_ENTRIES = 200;

    private IcAdminRoutes() {}

    public static void mount(Router api, IcParameters parameters) {
        BodyHandler body = BodyHandler.create().setBodyLimit(BODY_LIMIT);
        for (IcEntry.Kind kind : IcEntry.Kind.values()) {
            String path = kind == IcEntry.Kind.AID ? "/posp/ic/aids" : "/posp/ic/capks";
            api.put(path).handler(body).handler(ctx -> {
                List<IcEntry> entries;
                try {
                    entries = entries(kind, ctx.body().asJsonObject());
                } catch (RuntimeException e) {
                    send(ctx, 400, new JsonObject().put("error", e.getMessage() == null ? "bad body" : e.getMessage()));
                    return;
                }
                parameters.load(kind, entries, "admin")
                        .onSuccess(hash -> send(ctx, 200, new JsonObject().put("count", entries.size()).put("setHash", hash)))
                        .onFailure(e -> send(ctx, 500, new JsonObject().put("error", "internal error")));
            });
            api.get(path).handler(ctx -> parameters.list(kind).onSuccess(entries -> {
                JsonArray out = new JsonArray();
                entries.forEach(e -> out.add(new JsonObject().put("key", e.key()).put("tlv", Hex.encode(e.tlv())).put("checkHash", e.checkHash())));
                send(ctx, 200, new JsonObject().put("setHash", IcParameters.setHash(entries)).put("entries", out));
            }).onFailure(e -> send(ctx, 500, new JsonObject().put("error", "internal error"))));
        }
        api.get("/posp/ic/terminals").handler(ctx -> {
            boolean onlyBehind = "true".equals(ctx.queryParams().get("behind"));
            parameters.terminals(null).onSuccess(all -> {
                JsonArray out = new JsonArray();
                for (int i = 0; i < all.size(); i++) {
                    JsonObject t = all.getJsonObject(i);
                    if (!onlyBehind || t.getBoolean("behind")) out.add(t);
                }
                send(ctx, 200, new JsonObject().put("terminals", out));
            }).onFailure(e -> send(ctx, 500, new JsonObject().put("error", "internal error")));
        });
    }

    private static List<IcEntry> entries(IcEntry.Kind kind, JsonObject in) {
        if (in == null) throw new IllegalArgumentException("body must be a JSON object");
        JsonArray list = in.getJsonArray("entries");
        if (list == null) throw new IllegalArgumentException("entries (hex TLV bodies) required");
        if (list.size() > MAX_ENTRIES) throw new IllegalArgumentException("at most " + MAX_ENTRIES + " entries");
        List<IcEntry> out = new ArrayList<>();
        HashSet<String> keys = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            byte[] tlv;
            try {
                tlv = Hex.decode(list.getString(i));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("entry " + i + " is not hex");
            }
            if (tlv.length == 0 || tlv.length > IcParameterHandler.LIST_LIMIT) throw new IllegalArgumentException("entry " + i + " must be 1.." + IcParameterHandler.LIST_LIMIT + " bytes");
            IcEntry e;
            try {
                e = IcEntry.parse(kind, tlv);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("entry " + i + ": " + ex.getMessage());
            }
            if (!keys.add(e.key())) throw new IllegalArgumentException("entry " + i + ": " + e.key() + " given twice");
            out.add(e);
        }
        return out;
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
