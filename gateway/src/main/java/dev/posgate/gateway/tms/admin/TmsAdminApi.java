package dev.posgate.gateway.tms.admin;

import dev.posgate.crypto.Hex;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.tms.store.PostgresPackageRepository;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.WrappedKey;
import dev.posgate.protocol.tms.download.PackageEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.tms.store.DmkStore;
import dev.posgate.gateway.tms.store.RolloutRepository;
import dev.posgate.gateway.tms.wire.TmsSettings;

/**
 * TMS admin endpoints under {@code /api/tms}: DMK provisioning, package publishing and targeting,
 * terminal groups and rollout status. Paths and bodies: docs/tms.md.
 */
public final class TmsAdminApi {
    private static final Logger log = LoggerFactory.getLogger(TmsAdminApi.class);
    /** Packages are uploaded whole; 64 MiB bounds what one request may buffer. */
    static final int MAX_PACKAGE = 64 * 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[\\x21-\\x7E]{1,32}");
    private static final Pattern SHORT = Pattern.compile("[\\x21-\\x7E]{1,16}");

    private final TerminalRepository terminals;
    private final KeyRepository keys;
    private final DmkStore dmks;
    private final Hsm hsm;
    private final AuditLog audit;
    private final PostgresPackageRepository packages;
    private final RolloutRepository rollout;
    private final TmsSettings settings;

    public TmsAdminApi(TerminalRepository terminals, KeyRepository keys, DmkStore dmks, Hsm hsm, AuditLog audit,
            PostgresPackageRepository packages, RolloutRepository rollout, TmsSettings settings) {
        this.terminals = terminals;
        this.keys = keys;
        this.dmks = dmks;
        this.hsm = hsm;
        this.audit = audit;
        this.packages = packages;
        this.rollout = rollout;
        this.settings = settings;
    }

    public void mount(Router api) {
        api.route("/tms/*").handler(BodyHandler.create(false).setBodyLimit(MAX_PACKAGE));
        api.post("/tms/terminals/:sn/dmk").handler(this::provisionDmk);
        api.put("/tms/terminals/:sn/groups/:group").handler(this::addToGroup);
        api.post("/tms/packages").handler(this::publish);
        api.post("/tms/packages/:id/targets/:group").handler(this::target);
        api.get("/tms/rollout").handler(this::status);
    }

    /**
     * {"components": [hex, hex(, hex)]} (key ceremony, when enabled) or {"zmkOwner": zone, "dmkUnderZmk": hex}.
     * The DMK takes the terminal's key algorithm: an SM4 key for an SM4 terminal (WI/ZW scheme P, SV).
     */
    private void provisionDmk(RoutingContext ctx) {
        String sn = ctx.pathParam("sn");
        JsonObject in = json(ctx);
        if (in == null) return;
        terminals.findBySn(sn).compose(t -> {
            if (t.isEmpty()) return Future.succeededFuture(reply(ctx, 404, "unknown serial"));
            Future<KeyWithKcv> dmk;
            if (in.getValue("components") instanceof JsonArray parts) {
                if (!settings.dmkCeremony()) return Future.succeededFuture(reply(ctx, 403, "key ceremony from clear components is disabled"));
                if (parts.size() < 2 || parts.size() > 3) return Future.succeededFuture(reply(ctx, 400, "2 or 3 components"));
                byte[][] comps = new byte[parts.size()][];
                for (int i = 0; i < comps.length; i++) comps[i] = Hex.decode(parts.getString(i));
                // an SM4 terminal's DMK is an SM4 key (issue 17 item 4), formed as scheme P
                dmk = hsm.formKeyFromComponents(t.get().sm4() ? KeyType.DMK : settings.dmkType(), t.get().sm4() ? KeyScheme.P : KeyScheme.U, comps);
            } else if (in.getValue("underLmk") instanceof String underLmk && in.getValue("kcv") instanceof String kcvHex) {
                // the DMK formed or imported in the HSM by the acquirer (console ceremony, A6 in the authorised
                // state), given under the LMK with its check value: BU checks its type, parity and check value
                LmkKey key;
                dev.posgate.hsm.Kcv expected;
                try {
                    key = LmkKey.parse(underLmk);
                    if (key.algorithm() != dev.posgate.hsm.KeyAlgorithm.TDES || key.length() < 16 || kcvHex.length() < 6
                            || kcvHex.length() > 16 || kcvHex.length() % 2 != 0) throw new IllegalArgumentException("bad key");
                    expected = dev.posgate.hsm.Kcv.ofHex(kcvHex.toUpperCase(java.util.Locale.ROOT));
                } catch (RuntimeException e) {
                    return Future.succeededFuture(reply(ctx, 400, "underLmk must be U + 32 hex or T + 48 hex, kcv 6 to 16 hex digits"));
                }
                if (t.get().sm4()) return Future.succeededFuture(reply(ctx, 409, "an SM4 terminal: its DMK is an SM4 key"));
                dmk = hsm.kcv(settings.dmkType(), key).transform(ar -> ar.succeeded() && ar.result().matches(expected)
                        ? Future.succeededFuture(new KeyWithKcv(key, ar.result()))
                        : ar.failed() && !(ar.cause() instanceof dev.posgate.hsm.HsmException h && !"--".equals(h.errorCode()))
                        ? Future.failedFuture(ar.cause())
                        : Future.failedFuture(new Unprocessable("the key is not a DMK (" + settings.dmkType().code()
                                + ") with that check value under this HSM's LMK")));
            } else if (in.getValue("zmkOwner") instanceof String zone && in.getValue("dmkUnderZmk") instanceof String under) {
                dmk = keys.active(KeyRecord.OwnerType.ZONE, zone, "ZMK", 0).compose(zmk -> zmk.isEmpty()
                        ? Future.failedFuture(new IllegalArgumentException("no active ZMK for zone " + zone))
                        : t.get().sm4()
                        ? hsm.importSm4Key(KeyType.DMK, LmkKey.parse(zmk.get().lmkValue()), WrappedKey.of(KeyScheme.P, Hex.decode(under)))
                        : hsm.importKey(settings.dmkType(), LmkKey.parse(zmk.get().lmkValue()), WrappedKey.ofCryptogram(Hex.decode(under))));
            } else {
                return Future.succeededFuture(reply(ctx, 400, "components, underLmk + kcv, or zmkOwner + dmkUnderZmk required"));
            }
            // audited in the key's own transaction: no DMK version without its record
            return dmk.compose(k -> dmks.store(sn, k.key(), k.kcv().storedHex(),
                            (tx, stored) -> audit.append(tx, "admin-api", "tms.dmk.provision", sn, "OK",
                                    new JsonObject().put("kcv", k.kcv().storedHex()).put("version", stored.version())))
                    .map(v -> {
                        ctx.response().setStatusCode(201);
                        ctx.json(new JsonObject().put("sn", sn).put("kcv", k.kcv().storedHex()));
                        return (Void) null;
                    }));
        }).onFailure(e -> failed(ctx, e));
    }

    private void addToGroup(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        if (!NAME.matcher(group).matches()) {
            reply(ctx, 400, "bad group name");
            return;
        }
        packages.addToGroup(ctx.pathParam("sn"), group).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(e -> failed(ctx, e));
    }

    /** Body: the package bytes; query: vendor, model (default *), name, version, kind (default 1). */
    private void publish(RoutingContext ctx) {
        String vendor = ctx.queryParams().get("vendor");
        String model = ctx.queryParams().get("model") == null ? "*" : ctx.queryParams().get("model");
        String name = ctx.queryParams().get("name");
        String version = ctx.queryParams().get("version");
        int kind;
        try {
            kind = Integer.parseInt(ctx.queryParams().get("kind") == null ? "1" : ctx.queryParams().get("kind"));
        } catch (NumberFormatException e) {
            kind = -1;
        }
        if (vendor == null || !SHORT.matcher(vendor).matches() || !SHORT.matcher(model).matches() || name == null
                || !NAME.matcher(name).matches() || version == null || !SHORT.matcher(version).matches()
                || kind < PackageEntry.APPLICATION || kind > PackageEntry.DATA_FILE) {
            reply(ctx, 400, "vendor, name, version (and model, kind 1..3) required");
            return;
        }
        byte[] data = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        int k = kind;
        packages.publish(vendor, model, name, version, kind, data)
                .compose(id -> audit.append("admin-api", "tms.package.publish", vendor + "/" + name, "OK",
                        new JsonObject().put("id", id).put("version", version).put("size", data.length)).map(id))
                .onSuccess(id -> {
                    ctx.response().setStatusCode(201);
                    ctx.json(new JsonObject().put("id", id).put("vendor", vendor).put("model", model).put("name", name)
                            .put("version", version).put("kind", k).put("size", data.length));
                })
                .onFailure(e -> failed(ctx, e));
    }

    private void target(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            reply(ctx, 404, "no such package");
            return;
        }
        String group = ctx.pathParam("group");
        if (!NAME.matcher(group).matches()) {
            reply(ctx, 400, "bad group name");
            return;
        }
        packages.target(id, group).onSuccess(found -> {
            if (found) ctx.response().setStatusCode(204).end();
            else reply(ctx, 404, "no such package");
        }).onFailure(e -> failed(ctx, e));
    }

    private void status(RoutingContext ctx) {
        String vendor = ctx.queryParams().get("vendor");
        String name = ctx.queryParams().get("name");
        String version = ctx.queryParams().get("version");
        if (vendor == null || name == null || version == null) {
            reply(ctx, 400, "vendor, name and version required");
            return;
        }
        rollout.status(vendor, name, version).onSuccess(rows -> ctx.json(new JsonObject().put("terminals", rows))).onFailure(e -> failed(ctx, e));
    }

    private static JsonObject json(RoutingContext ctx) {
        try {
            JsonObject in = ctx.body().asJsonObject();
            if (in != null) return in;
        } catch (RuntimeException e) {
            // answered below
        }
        reply(ctx, 400, "body must be a JSON object");
        return null;
    }

    private static Void reply(RoutingContext ctx, int status, String error) {
        ctx.response().setStatusCode(status);
        ctx.json(new JsonObject().put("error", error));
        return null;
    }

    /** A request the HSM's answer makes unprocessable (422). */
    private static final class Unprocessable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unprocessable(String message) {
            super(message, null, false, false);
        }
    }

    private static void failed(RoutingContext ctx, Throwable e) {
        if (ctx.response().ended()) return;
        if (e instanceof Unprocessable) {
            reply(ctx, 422, e.getMessage());
        } else if (e instanceof dev.posgate.hsm.HsmException h && !"--".equals(h.errorCode())) {
            // the HSM refused the key (type, parity, policy): the request, not the gateway
            reply(ctx, 422, "the HSM refused the key: error " + h.errorCode());
        } else if (e instanceof IllegalArgumentException) {
            reply(ctx, 400, e.getMessage());
        } else if (e.getMessage() != null && e.getMessage().contains("duplicate key")) {
            reply(ctx, 409, "already exists");
        } else {
            log.error("TMS admin request {} failed: {}", ctx.request().path(), e.toString());
            reply(ctx, 500, "internal error");
        }
    }
}
