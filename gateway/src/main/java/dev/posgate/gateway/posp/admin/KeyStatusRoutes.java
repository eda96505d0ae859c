package dev.posgate.gateway.posp.admin;

import dev.posgate.gateway.platform.db.TerminalRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * {@code GET /api/terminals/{tid}/keys}: a terminal's key state (docs/admin-api.md): its keys
 * under its SN in key_record (TMK, the working keys PIK/MAK/TDK, any other type) with type, slot,
 * version, state and a 6-hex KCV, and its last sign-on (posp_terminal_state). Per key slot, every
 * PENDING and ACTIVE version, or the newest version when all are RETIRED. Never a cryptogram:
 * the query does not even read lmk_value.
 */
public final class KeyStatusRoutes {
    private KeyStatusRoutes() {}

    public static void mount(Router api, TerminalRepository terminals, Pool db) {
        api.get("/terminals/:tid/keys").handler(ctx -> status(ctx, terminals, db));
    }

    private static void status(RoutingContext ctx, TerminalRepository terminals, Pool db) {
        terminals.findByTid(ctx.pathParam("tid")).onComplete(found -> {
            if (found.failed()) {
                fail(ctx);
                return;
            }
            if (found.result().isEmpty()) {
                send(ctx, 404, new JsonObject().put("error", "no such terminal"));
                return;
            }
            var t = found.result().get();
            db.preparedQuery("select key_type, key_index, version, state, kcv, created_at, activated_at, retired_at"
                            + " from key_record k where owner_type = 'TERMINAL' and owner_id = $1"
                            + " and (state <> 'RETIRED' or version = (select max(version) from key_record m"
                            + "   where m.owner_type = k.owner_type and m.owner_id = k.owner_id and m.key_type = k.key_type"
                            + "   and m.key_index = k.key_index))"
                            + " order by case key_type when 'TMK' then 0 when 'PIK' then 1 when 'MAK' then 2 when 'TDK' then 3"
                            + " else 4 end, key_type, key_index, version desc")
                    .execute(Tuple.of(t.sn()))
                    .compose(keys -> db.preparedQuery("select signed_on_at, signed_on_date, sign_on_mode, batch, key_source,"
                                    + " psam_card from posp_terminal_state where tid = $1")
                            .execute(Tuple.of(t.tid()))
                            .map(state -> {
                                JsonArray out = new JsonArray();
                                for (Row r : keys) {
                                    out.add(new JsonObject()
                                            .put("type", r.getString("key_type"))
                                            .put("keyIndex", (int) r.getShort("key_index"))
                                            .put("version", r.getInteger("version"))
                                            .put("state", r.getString("state"))
                                            .put("kcv", kcv6(r.getString("kcv")))
                                            .put("createdAt", time(r.getOffsetDateTime("created_at")))
                                            .put("activatedAt", time(r.getOffsetDateTime("activated_at")))
                                            .put("retiredAt", time(r.getOffsetDateTime("retired_at"))));
                                }
                                JsonObject signOn = null;
                                if (state.size() > 0) {
                                    Row s = state.iterator().next();
                                    signOn = new JsonObject()
                                            .put("at", time(s.getOffsetDateTime("signed_on_at")))
                                            .put("businessDay", s.getLocalDate("signed_on_date").toString())
                                            .put("mode", s.getString("sign_on_mode"))
                                            .put("batch", s.getString("batch"))
                                            .put("keySource", s.getString("key_source"))
                                            .put("psamCard", s.getString("psam_card"));
                                }
                                return new JsonObject().put("tid", t.tid()).put("sn", t.sn())
                                        .put("keyScheme", t.keyScheme().name()).put("keys", out).put("lastSignOn", signOn);
                            }))
                    .onComplete(ar -> {
                        if (ar.succeeded()) send(ctx, 200, ar.result());
                        else fail(ctx);
                    });
        });
    }

    /** The first 3 bytes of the stored check value, as operators compare it with a key ceremony's form. */
    static String kcv6(String stored) {
        if (stored == null) return null;
        String hex = stored.toUpperCase(java.util.Locale.ROOT);
        return hex.length() > 6 ? hex.substring(0, 6) : hex;
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }

    private static void fail(RoutingContext ctx) {
        send(ctx, 500, new JsonObject().put("error", "internal error"));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
