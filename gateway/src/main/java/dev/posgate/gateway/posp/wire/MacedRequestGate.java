package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.protocol.posp.Admission;
import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.iso8583.pos.Field53;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.posp.store.PospTerminals;
import dev.posgate.gateway.posp.store.PsamRegistry;
import dev.posgate.gateway.posp.store.TerminalSession;

/**
 * What every MACed POS request passes before its own work, in one place: fields 11, 41 and 60
 * present ({@code 30}), terminal registered and allowed ({@link Admission}), signed on today
 * ({@code 77} with processing requirement 3), field 64 the MAC of the bytes as received
 * ({@code A0}, and nothing else is done for it). After a sign-on, a MAC under the keys the
 * terminal used before is accepted during the grace period, and the request is then served with
 * those keys (PIN translation, reply MAC): an unauthenticated 0800 by a stranger does not cut the
 * terminal off. The first request under the new keys ends the grace. A 53.2 that contradicts the
 * terminal's key algorithm (4 = SM4 from a TDES terminal, anything but 4 from an SM4 terminal) is
 * refused {@code 63} before the MAC is checked, without a MAC (docs/posp.md, "SM4 terminals").
 * The session is this node's copy when it has one (issue 19, {@link PospTerminals#copy}): a request
 * refused on a copy is judged once more on a fresh read, as the copy may predate a sign-on made
 * on another node that this node has not heard of yet (docs/posp.md, "Sign-on storage and the
 * sign-on state in memory").
 */
public final class MacedRequestGate implements RequestAdmission {
    private static final Logger log = LoggerFactory.getLogger(MacedRequestGate.class);

    private final PospTerminals terminals;
    private final PsamRegistry psam;
    private final TerminalMacs macs;
    private final PospSettings settings;

    public MacedRequestGate(PospTerminals terminals, PsamRegistry psam, TerminalMacs macs, PospSettings settings) {
        this.terminals = terminals;
        this.psam = psam;
        this.macs = macs;
        this.settings = settings;
    }

    @Override
    public Future<Response> admit(PosMessage request, Admitted next) {
        String tid = request.field(41);
        Field60 f60 = request.field60();
        if (tid == null || f60 == null || !request.has(11)) return code(request, ResultCode.FORMAT_ERROR.code());
        // this node's copy of the session when it has one (no query); a refusal on it is judged again on a fresh read
        TerminalSession copy = terminals.copy(tid);
        if (copy != null) return judge(request, next, tid, f60, copy, true);
        return terminals.session(tid).compose(found -> judge(request, next, tid, f60, found.orElse(null), false));
    }

    /**
     * Admission, the MAC and the grace keys on {@code t}. {@code onCopy}: {@code t} is this node's
     * copy, which may predate a change made on another node that it has not heard of yet (a
     * sign-on: new keys, today's date); then any refusal reads the session again and judges once more.
     */
    private Future<Response> judge(PosMessage request, Admitted next, String tid, Field60 f60, TerminalSession t, boolean onCopy) {
        Admission.Facts facts = t == null ? TerminalSession.unregistered()
                : t.admissionFacts(psam.cardOf(tid).orElse(null), request.has(64));
        Admission.Verdict verdict = Admission.decide(facts, settings.businessDay().today());
        if (onCopy && (verdict != Admission.Verdict.VERIFY_MAC || !algorithmMatches(t, request))) {
            return again(request, next, tid, f60, null);
        }
        switch (verdict) {
            case VERIFY_MAC:
                if (!algorithmMatches(t, request)) return code(request, ResultCode.SECURITY_VIOLATION.code());
                return macs.verify(t, request).compose(ok -> {
                    if (ok) return keysUsed(t).compose(v -> terminalInfo(t, request)).compose(v -> next.handle(t, f60));
                    if (!t.graceOpen()) return onCopy ? again(request, next, tid, f60, t) : code(request, ResultCode.MAC_ERROR.code());
                    TerminalSession before = t.underGraceKeys();
                    return macs.verify(before, request).compose(graceOk -> {
                        if (graceOk) return terminalInfo(t, request).compose(v -> next.handle(before, f60));
                        return onCopy ? again(request, next, tid, f60, t) : code(request, ResultCode.MAC_ERROR.code());
                    });
                });
            case SIGN_ON_AGAIN:
                return Future.succeededFuture(PosReplies.send(request.reply(ProcessingRequirement.SIGN_ON_AGAIN, 60)
                        .set(39, ResultCode.SIGN_ON_AGAIN.code())));
            default:
                return code(request, verdict.responseCode());
        }
    }

    /**
     * The session read afresh and the request judged once more. {@code macFailedOn}: the copy
     * under whose keys the MAC failed; when the fresh read has the same keys, the answer is
     * {@code A0} at once (the MAC is not verified twice under the same keys).
     */
    private Future<Response> again(PosMessage request, Admitted next, String tid, Field60 f60, TerminalSession macFailedOn) {
        return terminals.reload(tid).compose(found -> {
            TerminalSession fresh = found.orElse(null);
            if (macFailedOn != null && fresh != null && sameKeys(macFailedOn, fresh)) {
                return code(request, ResultCode.MAC_ERROR.code());
            }
            return judge(request, next, tid, f60, fresh, false);
        });
    }

    private static boolean sameKeys(TerminalSession a, TerminalSession b) {
        return java.util.Objects.equals(a.mak(), b.mak()) && java.util.Objects.equals(a.graceMak(), b.graceMak())
                && a.status() == b.status() && java.util.Objects.equals(a.signedOnDate(), b.signedOnDate())
                && a.keyAlgorithm() == b.keyAlgorithm() && a.macAlgorithm() == b.macAlgorithm();
    }

    /** 53.2 (when field 53 is present) agrees with the terminal's key algorithm ({@link KeyAlgorithm#accepts53Algorithm}). */
    static boolean algorithmMatches(TerminalSession t, PosMessage request) {
        Field53 f53 = request.field53();
        if (f53 == null) return true;
        return (t.sm4() ? KeyAlgorithm.SM4 : KeyAlgorithm.TDES).accepts53Algorithm(f53.algorithm());
    }

    /** The first request under a sign-on's keys retires the grace set; a failed write only leaves it to expire. */
    private Future<Void> keysUsed(TerminalSession t) {
        if (t.keysUsed()) return Future.succeededFuture();
        return terminals.keysUsed(t.tid()).otherwise(e -> {
            log.warn("could not record that terminal {} uses its new keys: {}", t.tid(), e.toString());
            return null;
        });
    }

    /**
     * Field 46 of a request whose MAC verified, kept with the terminal when it differs from the
     * stored value (no write otherwise); a failed write only leaves the older value.
     */
    private Future<Void> terminalInfo(TerminalSession t, PosMessage request) {
        String info = TerminalInfo.of(request);
        if (info == null || info.equals(t.terminalInfo())) return Future.succeededFuture();
        return terminals.recordTerminalInfo(t.tid(), info).otherwise(e -> {
            log.warn("could not record field 46 of terminal {}: {}", t.tid(), e.toString());
            return null;
        });
    }

    private static Future<Response> code(PosMessage request, String code) {
        return Future.succeededFuture(PosReplies.code(request, code));
    }
}
