package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.platform.server.PerKeyRate;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.spi.PendingUpdates;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import dev.posgate.gateway.posp.store.PospTerminals;
import dev.posgate.gateway.posp.store.PsamRegistry;
import dev.posgate.gateway.posp.store.SystemKeys;

/**
 * 0800 sign-on (60.3 001/003/004): new PIK, MAK (and TDK) from the HSM under the terminal's TMK,
 * or under its PSAM card key, stored under the LMK as the next version, answered in field 62.
 * Refusals: unregistered TID {@code 97}; MID not the registered one {@code 03}; terminal not
 * ACTIVE {@code 58}; no ACTIVE TMK {@code 97} with processing requirement 4 (TMK download);
 * PSAM terminal without a bound card {@code 97}; more than posp.sign_on.rate sign-ons of one TID
 * within key.rate.window.seconds {@code 12}; over the node's {@link SignOnAdmission} (its wait queue
 * full, or the wait too long) {@code 91}, with no database or HSM work; an SM4 terminal's 001 (single-length keys; SM4 keys
 * are 16 bytes) {@code 12}. An SM4 terminal gets SM4 keys under its SM4 TMK (protocol.md
 * section 5). Sign-on is unauthenticated (anyone who knows TID and
 * MID may send it): the keys the terminal used stay valid for a grace period ({@link PospTerminals}).
 */
public final class SignOnHandler implements PosHandler {
    private final TerminalRepository terminals;
    private final PospTerminals posp;
    private final WorkingKeyIssuer issuer;
    private final PsamRegistry psam;
    private final SystemKeys systemKeys;
    private final PospSettings settings;
    private final AuditLog audit;
    private final PendingUpdates updates;
    private final PerKeyRate rate;
    private final SignOnAdmission admission;

    public SignOnHandler(TerminalRepository terminals, PospTerminals posp, WorkingKeyIssuer issuer,
            PsamRegistry psam, SystemKeys systemKeys, PospSettings settings, AuditLog audit, PendingUpdates updates,
            PerKeyRate rate, SignOnAdmission admission) {
        this.terminals = terminals;
        this.posp = posp;
        this.issuer = issuer;
        this.psam = psam;
        this.systemKeys = systemKeys;
        this.settings = settings;
        this.audit = audit;
        this.updates = updates;
        this.rate = rate;
        this.admission = admission;
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        Field60 f60 = request.field60();
        SignOnMode mode = f60 == null ? null : SignOnMode.ofCode(f60.networkMgmtCode());
        String tid = request.field(41);
        // 11 and 63 are optional: real terminals omit them (protocol.md 2.1); 12/13/46/53/62 are ignored
        if (mode == null || tid == null) return code(request, ResultCode.FORMAT_ERROR.code());
        // before any database or HSM work; counted by the rate, not audited per refusal
        if (!rate.admit(tid)) return code(request, ResultCode.INVALID_TRANSACTION.code());
        // the database and HSM work at the rate the node sustains; over it 91 with none done (docs/posp.md)
        return admission.run(session, () -> signOn(request, tid, mode, f60),
                () -> PosReplies.code(request, ResultCode.ISSUER_UNAVAILABLE));
    }

    private Future<Response> signOn(PosMessage request, String tid, SignOnMode mode, Field60 f60) {
        // the terminal and its TMK in one query (a PSAM terminal's TMK, if any, goes unused)
        return terminals.findByTidWithActiveKey(tid, "TMK", settings.tmkIndex()).compose(found -> {
            if (found.isEmpty()) return refuse(request, tid, PosReplies.code(request, ResultCode.NOT_REGISTERED), "unknown TID");
            Terminal t = found.get().terminal();
            if (request.has(42) && !t.mid().equals(request.field(42))) {
                return refuse(request, tid, PosReplies.code(request, ResultCode.INVALID_MERCHANT), "MID differs from registration");
            }
            if (t.status() != Terminal.Status.ACTIVE) {
                return refuse(request, tid, PosReplies.code(request, ResultCode.NOT_PERMITTED_TO_TERMINAL), "terminal " + t.status());
            }
            // features.disabled (e.g. with hsm.profile=payshield, which cannot serve them)
            if (t.sm4() && !settings.sm4Served() || t.keyScheme() == Terminal.KeyScheme.PSAM && !settings.psamServed()) {
                return refuse(request, tid, PosReplies.code(request, ResultCode.NOT_PERMITTED_TO_TERMINAL),
                        (t.sm4() ? "sm4" : "psam") + " terminals are not served (features.disabled)");
            }
            if (t.sm4() && !WorkingKeyBlock.supports(mode, dev.posgate.protocol.posp.KeyAlgorithm.SM4)) {
                return refuse(request, tid, PosReplies.code(request, ResultCode.INVALID_TRANSACTION), "no 001 sign-on for an SM4 terminal");
            }
            return t.keyScheme() == Terminal.KeyScheme.PSAM
                    ? signOnWithPsam(request, t, mode, f60)
                    : signOnWithTmk(request, t, found.get().activeKeyLmk(), mode, f60);
        });
    }

    private Future<Response> signOnWithTmk(PosMessage request, Terminal t, String tmkLmk, SignOnMode mode, Field60 f60) {
        if (tmkLmk == null) {
            return refuse(request, t.tid(), PosReplies.send(request.reply(ProcessingRequirement.TMK_DOWNLOAD, 60)
                    .set(39, ResultCode.NOT_REGISTERED.code())), "no ACTIVE TMK");
        }
        LmkKey key = LmkKey.parse(tmkLmk);
        if (key.algorithm() != (t.sm4() ? KeyAlgorithm.SM4 : KeyAlgorithm.TDES)) {
            // a TMK of the other algorithm (stored before a profile change, or by hand): the terminal needs a new one
            return refuse(request, t.tid(), PosReplies.send(request.reply(ProcessingRequirement.TMK_DOWNLOAD, 60)
                    .set(39, ResultCode.NOT_REGISTERED.code())), "TMK is not " + t.keyAlgorithm());
        }
        Future<Boolean> pending = pendingUpdate(t);
        Future<WorkingKeyIssuer.Issued> issued = t.sm4()
                ? issuer.sm4UnderTmk(mode, key)
                : issuer.underTmk(mode, t.makLength(), key);
        return issued.compose(keys -> complete(request, t, mode, f60, null, keys, pending));
    }

    /**
     * A TMS update pending is announced at sign-on (processing requirement 6): asked while the
     * HSM issues the keys; a failed lookup must not cost the terminal its keys.
     */
    private Future<Boolean> pendingUpdate(Terminal t) {
        return updates.hasPending(t).otherwise(false);
    }

    private Future<Response> signOnWithPsam(PosMessage request, Terminal t, SignOnMode mode, Field60 f60) {
        String card = psam.cardOf(t.tid()).orElse(null);
        if (card == null) return refuse(request, t.tid(), PosReplies.code(request, ResultCode.NOT_REGISTERED), "no PSAM bound");
        Future<Boolean> pending = pendingUpdate(t);
        return systemKeys.psamRoot(settings.psamRootOwner())
                .compose(root -> issuer.underPsam(mode, t.makLength(), root, card))
                .compose(issued -> complete(request, t, mode, f60, card, issued, pending));
    }

    /** The keys stored with the sign-on and its audit record in one statement ({@link PospTerminals#saveSignOn}), then the answer. */
    private Future<Response> complete(PosMessage request, Terminal t, SignOnMode mode, Field60 f60, String card,
            WorkingKeyIssuer.Issued issued, Future<Boolean> pending) {
        LocalDate day = settings.businessDay().today();
        String info = TerminalInfo.of(request);
        boolean infoChanged = info != null && !info.equals(t.terminalInfo());
        JsonObject detail = new JsonObject()
                .put("mode", mode.code()).put("batch", f60.batch()).put("source", t.keyScheme().name())
                .put("makKcv", issued.toStore().get(1).kcvHex()).put("makLength", t.makLength().name())
                .put("keyAlgorithm", t.keyAlgorithm().name())
                // field 46 (terminal hardware/software, GBK): recorded with the terminal's sign-on
                .put("terminalInfo", request.has(46) ? request.gbk(46) : null);
        return posp.saveSignOn(t, f60.batch(), day, mode.code(), card, issued.toStore(), infoChanged ? info : null,
                        "terminal:" + t.tid(), detail)
                .compose(v -> pending)
                .map(hasPending -> {
                    PosMessage reply = request.reply(hasPending ? ProcessingRequirement.TMS_UPDATE : ProcessingRequirement.NONE, 60);
                    PospFields.stamp(reply, settings);
                    reply.set(39, ResultCode.APPROVED.code()).set(62, issued.block().encode());
                    return PosReplies.send(reply);
                });
    }

    private static Future<Response> code(PosMessage request, String code) {
        return Future.succeededFuture(PosReplies.code(request, code));
    }

    /** A refused sign-on is a refused key operation: recorded before it is answered. */
    private Future<Response> refuse(PosMessage request, String tid, Response reply, String why) {
        return audit.appendRefusal("terminal:" + tid, "pos.sign_on", tid, reply.result(), new JsonObject()
                        .put("reason", why).put("mode", request.field60().networkMgmtCode()))
                .map(v -> reply);
    }
}
