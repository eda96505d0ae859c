package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.posp.upstream.UpstreamException;
import dev.posgate.gateway.posp.upstream.UpstreamMessages;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.HsmException;
import dev.posgate.iso8583.FormatException;
import dev.posgate.iso8583.pos.IccData;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import java.util.Set;
import dev.posgate.gateway.posp.store.Journal;
import dev.posgate.gateway.posp.store.JournalStatus;
import dev.posgate.gateway.posp.upstream.HostForwarder;
import dev.posgate.gateway.posp.upstream.TrackProtection;

/**
 * 0200 (purchase, balance inquiry, void) and 0400 (reversal) from a terminal, as explicit steps:
 * <ol>
 * <li>admission: sign-on state and the MAC with the terminal's MAK ({@code A0} on failure, no
 *     key used for the answer); encrypted tracks opened so the journal gets the PAN of track 2;
 * <li>journal: the row is opened, durable with the reversal it would owe, before anything leaves
 *     for the host ({@code 94} for a repeated STAN);
 * <li>PIN: PIK → ZPK in the HSM ({@code 55} for a block that does not decrypt);
 * <li>forward: re-packed, MACed with the ZAK, sent; the host's MAC checked;
 * <li>close: the row closed with the outcome (an upstream timeout answers {@code 68} and queues
 *     a reversal; no connection to the host answers {@code 91});
 * <li>seal: the answer MACed back to the terminal.
 * </ol>
 * What sets the four kinds apart is in {@link TransactionKind}; each step's outside work is
 * behind a small interface, so the path runs in unit tests with fakes and an in-process HSM.
 */
public final class FinancialHandler implements PosHandler {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FinancialHandler.class);
    /** HSM errors meaning the PIN block does not decrypt to a valid ISO 0 block under the PIK. */
    private static final Set<String> BAD_PIN_BLOCK =
            Set.of(HsmErrors.INVALID_PIN_BLOCK, HsmErrors.INVALID_PIN_BLOCK_FORMAT, HsmErrors.PIN_LENGTH);

    /**
     * What the steps work with. {@code reversals} persists an owed reversal for the queue (null
     * without a host: nothing is ever sent, so nothing is owed); {@code deferred} retries the
     * journal writes of a transaction that failed halfway.
     */
    public record Steps(RequestAdmission admission, TrackOpener tracks, Journal journal, PinTranslator pins, HostForwarder host,
            Reversals reversals, ReplySealer sealer, DeferredWrites deferred, GatewayMetrics metrics, String acquirerId,
            Advices advices) {}

    /**
     * Where accepted advices (0220) are forwarded from ({@link dev.posgate.gateway.posp.upstream.AdviceQueue}):
     * told that one was just queued, so it goes out at once rather than at the next scan.
     */
    public interface Advices {
        void queued();
    }

    /** Where an owed reversal goes to be delivered ({@link dev.posgate.gateway.posp.upstream.ReversalQueue}). */
    public interface Reversals {
        Future<Void> enqueue(PosMessage reversal);
    }

    private final TransactionKind kind;
    private final Steps steps;

    public FinancialHandler(TransactionKind kind, Steps steps) {
        this.kind = kind;
        this.steps = steps;
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        return steps.admission().admit(request, (terminal, f60) -> {
            FinancialTransaction tx = new FinancialTransaction(kind, terminal, request, f60);
            return openTracks(tx).compose(v -> journal(tx));
        });
    }

    /**
     * Encrypted tracks (53.3 = 1) are opened first, so the journal gets the PAN of track 2; tracks
     * that do not decrypt under the terminal's TDK (or no TDK) go on to be journalled and declined.
     */
    private Future<Void> openTracks(FinancialTransaction tx) {
        if (!TrackProtection.encrypted(tx.request())) return Future.succeededFuture();
        return steps.tracks().open(tx.terminal(), tx.request()).map(opened -> {
            tx.tracksOpened(opened);
            return null;
        });
    }

    /**
     * The journal row, with the reversal owed if this process dies after forwarding: written
     * before anything leaves for the host. From here on a failure is {@link #unfinished}.
     */
    private Future<Response> journal(FinancialTransaction tx) {
        PosMessage request = tx.request();
        return steps.journal().open(tx.tid(), tx.batch(), tx.stan(), tx.mti(), kind.journalKind(), tx.amount(),
                        maskPan(tx.pan()), kind.originalStan(request), owedIfLost(tx))
                .compose(fresh -> {
                    if (!fresh) return repeated(tx);
                    if (tx.tracksUnreadable()) return close(tx, JournalStatus.DECLINED, ResultCode.SECURITY_VIOLATION.code(), null);
                    return journalled(tx).recover(e -> unfinished(tx, e));
                });
    }

    /**
     * A (TID, batch, STAN, MTI) already journalled: the journal is the STAN replay window, so it is
     * not processed again ({@code 94}), except as its kind answers repeats (a terminal's 0400).
     */
    private Future<Response> repeated(FinancialTransaction tx) {
        return kind.answerToRepeat(steps.journal(), tx).compose(code -> {
            if (code != null) return seal(tx, code, null);
            steps.metrics().replayRefused("stan");
            return seal(tx, ResultCode.DUPLICATE.code(), null);
        });
    }

    /**
     * After the journal: field 55 must be BER-TLV (else {@code 30}, MACed, nothing forwarded; its
     * content is never logged), then the kind's own check (a void's original), then on to the PIN.
     */
    private Future<Response> journalled(FinancialTransaction tx) {
        if (tx.request().has(55)) {
            try {
                IccData.parse(tx.request().binary(55));
            } catch (FormatException e) {
                // the reason names the offending tag and length, never a value
                log.warn("{}: field 55 is not BER-TLV ({}), answered 30", tx, e.getMessage());
                return close(tx, JournalStatus.FAILED, ResultCode.FORMAT_ERROR.code(), null);
            }
        }
        return kind.refusal(steps.journal(), tx).compose(refused -> refused != null
                ? close(tx, refused.status(), refused.code(), null)
                : kind.storeAndForward() ? accept(tx) : translatePin(tx));
    }

    /**
     * Store and forward of an advice (0220): the host's copy (no PIN) is written with the row in
     * the statement that accepts it, durable before the terminal hears {@code 00}; the advice
     * queue forwards it with retries until the host acknowledges it, across restarts. When the
     * kind's effect no longer applies at acceptance (a concurrent refund took what was left), the
     * row is declined with the kind's code.
     */
    private Future<Response> accept(FinancialTransaction tx) {
        FinancialTransaction.Acceptance a = tx.acceptance();
        // what waits at rest: no PIN, no track (clear or encrypted), no 53; a PAN only where the host needs one;
        // and all of it encrypted by the journal under the advice DEK (AdviceVault): nothing clear in the database
        PosMessage up = UpstreamMessages.request(tx.request(), null, steps.acquirerId(), null).unset(2, 35, 36, 53);
        if (kind.advicePan() && tx.pan() != null) up.set(2, tx.pan());
        return steps.journal().accept(tx.tid(), tx.batch(), tx.stan(), tx.mti(), a.effect(), a.originalId(), tx.amount(), up.pack())
                .compose(accepted -> {
                    if (!accepted) return close(tx, JournalStatus.DECLINED, a.onRace().code(), null);
                    // final from here: a failure sealing the answer must not close the row again (unfinished)
                    tx.adviceAccepted();
                    if (steps.advices() != null) steps.advices().queued();
                    return seal(tx, ResultCode.APPROVED.code(), null);
                });
    }

    /** Field 52 for the host, under the ZPK; a block that does not decrypt under the PIK is {@code 55}. */
    private Future<Response> translatePin(FinancialTransaction tx) {
        PosMessage request = tx.request();
        // the PAN of field 2, or of track 2 when a swiped card sends no field 2 (protocol.md 2.1)
        String pan = tx.pan();
        boolean withPin = request.has(52) && kind.translatesPin();
        // an SM4 terminal's 16-byte block is in 63 (PinTranslator#pinBlockOf); 52 without it is a format error
        byte[] block = withPin ? steps.pins().pinBlockOf(tx.terminal(), request) : null;
        if (withPin && (pan == null || block == null)) return close(tx, JournalStatus.FAILED, ResultCode.FORMAT_ERROR.code(), null);
        Future<byte[]> pin = withPin
                ? steps.pins().toZone(tx.terminal(), block, pan)
                : Future.succeededFuture(null);
        return pin.compose(
                zpkBlock -> forward(tx, UpstreamMessages.request(request, zpkBlock, steps.acquirerId(), tx.tracks())),
                e -> e instanceof HsmException h && BAD_PIN_BLOCK.contains(h.errorCode())
                        ? close(tx, JournalStatus.DECLINED, ResultCode.INCORRECT_PIN.code(), null)
                        : Future.failedFuture(e));
    }

    /**
     * The host's answer closes the row with its code; a lost or forged one is {@link #lost}. The
     * terminal's answer is sealed while the host's MAC is checked (both HSM commands leave in the
     * same event-loop turn, so the link sends them together); it goes out only once the check
     * passed and the row is closed, and is dropped otherwise.
     */
    private Future<Response> forward(FinancialTransaction tx, PosMessage up) {
        return steps.host().forward(tx.tid(), tx.stan(), up, () -> tx.leavingFor(up)).compose(answer -> {
            PosMessage reply = answer.reply();
            String code = reply.field(39) == null ? ResultCode.SYSTEM_MALFUNCTION.code() : reply.field(39);
            boolean approved = ResultCode.APPROVED.is(code);
            Future<Response> sealed = seal(tx, code, reply);
            return answer.macOk().compose(macOk -> {
                if (!macOk) return lost(tx, up, ResultCode.SYSTEM_MALFUNCTION);
                JournalStatus status = approved ? JournalStatus.APPROVED : JournalStatus.DECLINED;
                return (approved ? kind.approved(steps.journal(), tx) : Future.<Void>succeededFuture())
                        .compose(v -> closeRow(tx, status, code, reply))
                        .compose(v -> sealed);
            });
        }, e -> e instanceof UpstreamException u
                ? lost(tx, up, u.timeout() ? ResultCode.RESPONSE_TOO_LATE : ResultCode.ISSUER_UNAVAILABLE)
                : Future.failedFuture(e));
    }

    /**
     * The host's answer is missing (or forged). What may have reached the host is reversed by the
     * gateway, queued before the row is closed; a balance inquiry needs none, and nothing reached
     * the host without a connection ({@code 91}).
     */
    private Future<Response> lost(FinancialTransaction tx, PosMessage up, ResultCode code) {
        boolean mayHaveArrived = code != ResultCode.ISSUER_UNAVAILABLE;
        if (!mayHaveArrived || !kind.owesReversal()) return close(tx, JournalStatus.FAILED, code.code(), null);
        TransactionKind.Decision decision = kind.lost(code.code());
        return steps.reversals().enqueue(kind.owedReversal(up))
                .compose(v -> close(tx, decision.status(), decision.code(), null));
    }

    private Future<Response> close(FinancialTransaction tx, JournalStatus status, String code, PosMessage hostReply) {
        return closeRow(tx, status, code, hostReply).compose(v -> seal(tx, code, hostReply));
    }

    /** The row closed with its outcome (and a moved original given back), durable before the terminal hears it. */
    private Future<Void> closeRow(FinancialTransaction tx, JournalStatus status, String code, PosMessage hostReply) {
        String rrn = hostReply == null ? null : hostReply.field(37);
        String auth = hostReply == null ? null : hostReply.field(38);
        return release(tx, status).compose(v -> steps.journal().close(tx.tid(), tx.batch(), tx.stan(), tx.mti(), status, code, rrn, auth));
    }

    private Future<Response> seal(FinancialTransaction tx, String code, PosMessage hostReply) {
        return steps.sealer().seal(tx.terminal(), tx.request(), code, hostReply);
    }

    /**
     * The request failed after its journal row was opened: the database or the HSM went away in
     * the middle. The terminal gets {@code 96} from the dispatcher (without a MAC when the HSM is
     * the cause). The row is closed FAILED, or — when the request may have reached the host, which
     * may have approved it — TIMED_OUT with a queued reversal, so that what the terminal was told
     * (not approved) holds at the host too. The write is retried until the database takes it; if
     * this process dies first, the row is still PENDING with its owed reversal, which
     * {@link InterruptedForwards} queues after a restart or on another node.
     */
    private Future<Response> unfinished(FinancialTransaction tx, Throwable e) {
        // an accepted advice is final (APPROVED, queued): the terminal's resend gets its 00 again
        if (tx.isAdviceAccepted()) return Future.failedFuture(e);
        PosMessage up = tx.sentUpstream();
        boolean reverse = up != null && kind.owesReversal();
        String code = (e instanceof FormatException ? ResultCode.FORMAT_ERROR : ResultCode.SYSTEM_MALFUNCTION).code();
        PosMessage reversal = reverse ? kind.owedReversal(up) : null;
        String tid = tx.tid();
        // queued before the row is closed: closing clears the reversal the row holds for InterruptedForwards
        steps.deferred().submit("unfinished " + tx + (reverse ? " and its reversal" : ""),
                () -> (reverse ? steps.reversals().enqueue(reversal) : Future.<Void>succeededFuture())
                        .compose(v -> release(tx, JournalStatus.FAILED))
                        .compose(v -> steps.journal().close(tid, tx.batch(), tx.stan(), tx.mti(),
                                reverse ? JournalStatus.TIMED_OUT : JournalStatus.FAILED, code, null, null)));
        return Future.failedFuture(e);
    }

    /**
     * A pre-auth family message that moved its original (a cancel or completion its pre-auth, a
     * completion void the pre-auth back) and ends without approval gives the move back, before its
     * own row is closed. One whose answer was lost is reversed at the host (queued), so its
     * original is released too: what the terminal was told (not approved) holds.
     */
    private Future<Void> release(FinancialTransaction tx, JournalStatus status) {
        FinancialTransaction.Claim c = tx.claim();
        if (c == null || status == JournalStatus.APPROVED) return Future.succeededFuture();
        return steps.journal().release(c.targetId(), c.from(), c.to());
    }

    /**
     * The reversal {@link #lost} would queue, packed, for the journal row: if this process dies
     * with the message forwarded, {@link InterruptedForwards} queues it after a restart. It
     * carries no PAN and no PIN, so nothing sensitive is at rest in the journal.
     */
    private byte[] owedIfLost(FinancialTransaction tx) {
        if (!kind.owesReversal()) return null;
        return kind.owedReversal(UpstreamMessages.request(tx.request(), null, steps.acquirerId())).pack();
    }

    /** First 6 and last 4 digits, as everywhere the PAN is kept or shown. */
    static String maskPan(String pan) {
        if (pan == null) return null;
        if (pan.length() <= 10) return "*".repeat(pan.length());
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }
}
