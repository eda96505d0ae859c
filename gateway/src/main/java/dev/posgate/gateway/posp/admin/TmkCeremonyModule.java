package dev.posgate.gateway.posp.admin;

import dev.posgate.crypto.Hex;
import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.spi.GatewayModule;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.KeyType;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.gateway.spi.TmsHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;

/**
 * Key ceremony for a terminal's TMK, for development, demos and load tests (fleets of virtual
 * terminals whose TMK must be known to the load generator):
 * {@code POST /api/ceremony/terminals/{sn}/tmk {"components": [hex, hex(, hex)]}} forms the TMK
 * from clear components in the HSM (ZW; the HSM must allow it) and stores it ACTIVE under the LMK
 * in the slot POSP sign-on reads (owner TERMINAL / SN / TMK / {@code posp.tmk.key.index}).
 * Production TMKs come from the KMS flows; the endpoint answers 403 unless
 * {@code posp.tmk.ceremony.enabled}. The clear components pass through only; the answer is the KCV.
 * The TMK follows the terminal's key algorithm: a TDES key (scheme U, odd parity) or, for an SM4
 * terminal, an SM4 key (scheme P, ZW with scheme P in the HSM) with its SM4 check value (6H).
 *
 * <p>{@code POST /api/ceremony/terminals/{sn}/tmk/import {"underLmk": "U…", "kcv": hex}} stores a
 * TDES TMK the acquirer's own ceremony left under the LMK (a payShield console {@code FK}, or A4:
 * what an HSM of the {@code payshield} profile offers instead of ZW; docs/hsm-protocol.md 11.3).
 * Always on: nothing clear passes, and the HSM checks it (BU): the key must decrypt as a TMK (type
 * 002) with odd parity and the check value the ceremony recorded, so a key of another type, or
 * another key, is refused (422).
 */
public final class TmkCeremonyModule implements GatewayModule {
    @Override
    public Future<Void> install(GatewayContext context, PosRoutes pos, Map<TmsCode, TmsHandler> tms, Router admin) {
        boolean enabled = context.config().bool(Setting.POSP_TMK_CEREMONY);
        int slot = context.config().integer(Setting.POSP_TMK_INDEX);
        admin.post("/ceremony/terminals/:sn/tmk").handler(BodyHandler.create(false).setBodyLimit(4096))
                .handler(ctx -> form(context, enabled, slot, ctx));
        admin.post("/ceremony/terminals/:sn/tmk/import").handler(BodyHandler.create(false).setBodyLimit(4096))
                .handler(ctx -> importUnderLmk(context, slot, ctx));
        return Future.succeededFuture();
    }

    private static void importUnderLmk(GatewayContext context, int slot, RoutingContext ctx) {
        String sn = ctx.pathParam("sn");
        LmkKey key;
        Kcv expected;
        try {
            JsonObject in = ctx.body().asJsonObject();
            key = LmkKey.parse(in.getString("underLmk"));
            String kcv = in.getString("kcv");
            if (key.algorithm() != KeyAlgorithm.TDES || key.length() < 16 || kcv == null || kcv.length() < 6
                    || kcv.length() > 16 || kcv.length() % 2 != 0) {
                throw new IllegalArgumentException("bad import");
            }
            expected = Kcv.ofHex(kcv.toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            send(ctx, 400, "body must be {\"underLmk\": \"U + 32 hex or T + 48 hex\", \"kcv\": \"6 to 16 hex digits\"}");
            return;
        }
        context.terminals().findBySn(sn).compose(t -> {
            if (t.isEmpty()) return Future.succeededFuture(404);
            if (t.get().sm4()) return Future.succeededFuture(409);
            return context.hsm().kcv(KeyType.TMK, key).compose(kcv -> {
                if (!kcv.matches(expected)) return Future.succeededFuture(422);
                return context.db().withTransaction(tx -> context.keys()
                                .store(tx, KeyRecord.OwnerType.TERMINAL, sn, "TMK", slot, key.toWire(), kcv.storedHex(),
                                        KeyRecord.State.ACTIVE)
                                .compose(stored -> context.audit().append(tx, "admin-api", "posp.tmk.import", sn, "OK",
                                        new JsonObject().put("kcv", kcv.storedHex()).put("version", stored.version()))))
                        .map(v -> {
                            ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                                    .end(new JsonObject().put("sn", sn).put("kcv", kcv.storedHex()).encode());
                            return 201;
                        });
            }, e -> e instanceof HsmException h && !"--".equals(h.errorCode())
                    ? Future.succeededFuture(4220) : Future.failedFuture(e));
        }).onComplete(ar -> {
            if (ar.failed()) send(ctx, 500, "import failed: " + ar.cause().getClass().getSimpleName());
            else if (ar.result() == 404) send(ctx, 404, "unknown serial");
            else if (ar.result() == 409) send(ctx, 409, "an SM4 terminal: its TMK is an SM4 key (the ceremony endpoint)");
            else if (ar.result() == 422) send(ctx, 422, "the key is not a TMK with that check value under this HSM's LMK");
            else if (ar.result() == 4220) send(ctx, 422, "the HSM refused the key as a TMK (parity or type)");
        });
    }

    private static void form(GatewayContext context, boolean enabled, int slot, RoutingContext ctx) {
        if (!enabled) {
            send(ctx, 403, "key ceremony from clear components is disabled (posp.tmk.ceremony.enabled)");
            return;
        }
        String sn = ctx.pathParam("sn");
        byte[][] components = components(ctx);
        if (components == null) {
            send(ctx, 400, "body must be {\"components\": [2 or 3 hex strings of 32 digits]}");
            return;
        }
        context.terminals().findBySn(sn).compose(t -> {
            if (t.isEmpty()) return Future.succeededFuture(404);
            boolean sm4 = t.get().sm4();
            return context.hsm().formKeyFromComponents(KeyType.TMK, sm4 ? KeyScheme.P : KeyScheme.U, components)
                    .compose(k -> context.db().withTransaction(tx -> context.keys()
                                    .store(tx, KeyRecord.OwnerType.TERMINAL, sn, "TMK", slot, k.key().toWire(),
                                            k.kcv().storedHex(), KeyRecord.State.ACTIVE)
                                    .compose(stored -> context.audit().append(tx, "admin-api", "posp.tmk.ceremony", sn, "OK",
                                            new JsonObject().put("kcv", k.kcv().storedHex()).put("version", stored.version())
                                                    .put("keyAlgorithm", t.get().keyAlgorithm().name()))))
                            .map(v -> {
                                ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                                        .end(new JsonObject().put("sn", sn).put("kcv", k.kcv().storedHex())
                                                .put("keyAlgorithm", t.get().keyAlgorithm().name()).encode());
                                return 201;
                            }));
        }).onComplete(ar -> {
            if (ar.failed()) send(ctx, 500, "ceremony failed: " + ar.cause().getClass().getSimpleName());
            else if (ar.result() == 404) send(ctx, 404, "unknown serial");
        });
    }

    private static byte[][] components(RoutingContext ctx) {
        try {
            JsonObject in = ctx.body().asJsonObject();
            if (in == null || !(in.getValue("components") instanceof JsonArray parts)) return null;
            if (parts.size() < 2 || parts.size() > 3) return null;
            byte[][] out = new byte[parts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = Hex.decode(parts.getString(i));
                if (out[i].length != 16) return null;
            }
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void send(RoutingContext ctx, int status, String error) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", error).encode());
    }
}
