package dev.posgate.gateway.posp;

import dev.posgate.gateway.metrics.GatewayMetrics;
import dev.posgate.gateway.routing.PosHandler;
import dev.posgate.gateway.routing.Response;
import dev.posgate.gateway.routing.ResponseCodes;
import dev.posgate.gateway.server.SessionContext;
import dev.posgate.gateway.upstream.MessageSealer;
import dev.posgate.gateway.upstream.ReversalQueue;
import dev.posgate.gateway.upstream.UpstreamException;
import dev.posgate.gateway.upstream.UpstreamLink;
import dev.posgate.gateway.upstream.UpstreamMessages;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.FormatException;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import io.vertx.core.Future;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * 0200 (purchase, balance inquiry, void) and 0400 (reversal) from a terminal: checked against the
 * sign-on state, MAC verified with the terminal's MAK in the HSM ({@code A0} on failure, no key
 * used for the answer), recorded in the journal ({@code 94} for a repeated STAN), PIN translated
 * PIK → ZPK in the HSM, re-packed and MACed with the ZAK for the host, forwarded, and the host's
 * answer MACed back to the terminal. An upstream timeout answers {@code 68} and queues a
 * reversal; no connection to the host answers {@code 91}.
 */
public final class FinancialHandler implements PosHandler {
    /** HSM errors meaning the PIN block does not decrypt to a valid ISO 0 block under the PIK. */
    private static final Set<String> BAD_PIN_BLOCK = Set.of("20", "23", "24");

    private final TransactionJournal.Kind kind;
    private final PospTerminals terminals;
    private final TerminalMacs macs;
    private final TransactionJournal journal;
    private final Hsm hsm;
    private final SystemKeys systemKeys;
    private final UpstreamLink upstream;
    private final ReversalQueue reversals;
    private final PospSettings settings;
    private final MacedRequestGate gate;
    private final GatewayMetrics metrics;
    private final DeferredWrites deferred;
    private final TrackProtection tracks;
    private final IcParameters ic;

    public FinancialHandler(TransactionJournal.Kind kind, PospTerminals terminals, PsamRegistry psam, TerminalMacs macs,
            TransactionJournal journal, Hsm hsm, SystemKeys systemKeys, UpstreamLink upstream, ReversalQueue reversals,
            PospSettings settings, GatewayMetrics metrics, DeferredWrites deferred, IcParameters ic) {
        this.kind = kind;
        this.terminals = terminals;
        this.macs = macs;
        this.journal = journal;
        this.hsm = hsm;
        this.systemKeys = systemKeys;
        this.upstream = upstream;
        this.reversals = reversals;
        this.settings = settings;
        this.gate = new MacedRequestGate(terminals, psam, macs, settings);
        this.metrics = metrics;
        this.deferred = deferred;
        this.tracks = new TrackProtection(hsm);
        this.ic = ic;
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        return gate.admit(request, (t, f60) -> accepted(t, request, f60));
    }

    /**
     * Encrypted tracks (53.3 = 1) are opened first, so the journal gets the PAN of track 2; tracks
     * that do not decrypt under the terminal's TDK (or no TDK) go on to be journalled and declined.
     */
    private Future<Response> accepted(TerminalSession t, PosMessage request, Field60 f60) {
        if (!TrackProtection.encrypted(request)) return accepted(t, request, f60, null);
        return terminals.tdk(t.sn()).compose(tdk -> tdk == null
                        ? Future.succeededFuture(TrackProtection.HostTracks.UNREADABLE)
                        : (settings.trackProtection() == TrackProtection.Upstream.ZEK
                                ? systemKeys.zek(settings.zone()) : Future.<LmkKey>succeededFuture(null))
                                .compose(zek -> tracks.open(request, tdk, zek)))
                .compose(opened -> accepted(t, request, f60, opened));
    }

    private Future<Response> accepted(TerminalSession t, PosMessage request, Field60 f60, TrackProtection.HostTracks opened) {
        String stan = request.field(11);
        String origStan = kind == TransactionJournal.Kind.VOID && request.has(61) && request.field(61).length() >= 12
                ? request.field(61).substring(6, 12) : null;
        AtomicReference<PosMessage> sentUpstream = new AtomicReference<>();
        return journal.open(t.tid(), f60.batch(), stan, request.mti(), kind, amount(request), maskPan(pan(request, opened)), origStan,
                        owedIfLost(request))
                .compose(fresh -> {
                    if (!fresh) return repeated(t, request, f60);
                    if (opened == TrackProtection.HostTracks.UNREADABLE) {
                        return finish(t, request, f60, "DECLINED", ResponseCodes.SECURITY_VIOLATION, null);
                    }
                    return journalled(t, request, f60, origStan, opened, sentUpstream)
                            .recover(e -> unfinished(t, request, f60, sentUpstream.get(), e));
                });
    }

    /**
     * A (TID, batch, STAN, MTI) already journalled: the journal is the STAN replay window, so it is
     * not processed again ({@code 94}). A terminal's repeated 0400 is the exception, answered
     * idempotently: with the first attempt's answer once that attempt is settled (the gateway owns
     * delivering a queued reversal: {@code 00}); a FAILED one was opened again by the journal.
     */
    private Future<Response> repeated(TerminalSession t, PosMessage request, Field60 f60) {
        if (kind != TransactionJournal.Kind.REVERSAL) return duplicate(t, request);
        return journal.outcome(t.tid(), f60.batch(), request.field(11), request.mti()).compose(o -> switch (o.status()) {
            case "APPROVED", "TIMED_OUT" -> sealed(t, request, ResponseCodes.APPROVED, null);
            case "DECLINED" -> sealed(t, request, o.responseCode(), null);
            default -> duplicate(t, request); // still in progress
        });
    }

    private Future<Response> duplicate(TerminalSession t, PosMessage request) {
        metrics.replayRefused("stan");
        return sealed(t, request, ResponseCodes.DUPLICATE, null);
    }

    private Future<Response> journalled(TerminalSession t, PosMessage request, Field60 f60, String origStan,
            TrackProtection.HostTracks opened, AtomicReference<PosMessage> sentUpstream) {
        if (kind == TransactionJournal.Kind.VOID) {
            if (origStan == null) return finish(t, request, f60, "FAILED", ResponseCodes.FORMAT_ERROR, null);
            String origBatch = request.field(61).substring(0, 6);
            return journal.statusOf(t.tid(), origBatch, origStan).compose(st -> "APPROVED".equals(st)
                    ? forward(t, request, f60, opened, sentUpstream)
                    : finish(t, request, f60, "DECLINED", "25", null));
        }
        return forward(t, request, f60, opened, sentUpstream);
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
    private Future<Response> unfinished(TerminalSession t, PosMessage request, Field60 f60, PosMessage up, Throwable e) {
        boolean reverse = up != null && kind != TransactionJournal.Kind.BALANCE;
        String tid = t.tid();
        String stan = request.field(11);
        String code = e instanceof FormatException ? ResponseCodes.FORMAT_ERROR : ResponseCodes.SYSTEM_MALFUNCTION;
        PosMessage reversal = reverse ? owedReversal(up) : null;
        // queued before the row is closed: closing clears the reversal the row holds for InterruptedForwards
        deferred.submit("unfinished " + request.mti() + " " + tid + "/" + stan + (reverse ? " and its reversal" : ""),
                () -> (reverse ? reversals.enqueue(reversal) : Future.<Void>succeededFuture())
                        .compose(v -> journal.close(tid, f60.batch(), stan, request.mti(), reverse ? "TIMED_OUT" : "FAILED",
                                code, null, null)));
        return Future.failedFuture(e);
    }

    private Future<Response> forward(TerminalSession t, PosMessage request, Field60 f60, TrackProtection.HostTracks opened,
            AtomicReference<PosMessage> sentUpstream) {
        // the PAN of field 2, or of track 2 when a swiped card sends no field 2 (protocol.md 2.1)
        String pan = pan(request, opened);
        boolean withPin = request.has(52) && kind != TransactionJournal.Kind.REVERSAL;
        if (withPin && pan == null) return finish(t, request, f60, "FAILED", ResponseCodes.FORMAT_ERROR, null);
        Future<byte[]> pin = withPin
                ? systemKeys.zpk(settings.zone()).compose(zpk -> hsm.translatePin(t.pik(), zpk, request.binary(52), pan))
                        .map(tr -> tr.pinBlock())
                : Future.succeededFuture(null);
        return pin.compose(
                zpkBlock -> send(t, request, f60, UpstreamMessages.request(request, zpkBlock, settings.acquirerId(), opened),
                        sentUpstream),
                e -> e instanceof HsmException h && BAD_PIN_BLOCK.contains(h.errorCode())
                        ? finish(t, request, f60, "DECLINED", "55", null)
                        : Future.failedFuture(e));
    }

    private Future<Response> send(TerminalSession t, PosMessage request, Field60 f60, PosMessage up,
            AtomicReference<PosMessage> sentUpstream) {
        String tid = t.tid();
        String stan = request.field(11);
        return systemKeys.zak(settings.zone()).compose(zak -> MessageSealer.sealWithZak(hsm, zak, up)
                .compose(body -> {
                    if (upstream == null) return Future.failedFuture(UpstreamException.unavailable("no upstream configured"));
                    sentUpstream.set(up);
                    return upstream.request(tid, stan, up.mti(), body);
                })
                .compose(reply -> MessageSealer.verifyWithZak(hsm, zak, reply.wire()).compose(macOk -> {
                    if (!macOk) return upstreamLost(t, request, f60, up, ResponseCodes.SYSTEM_MALFUNCTION);
                    String code = reply.field(39) == null ? ResponseCodes.SYSTEM_MALFUNCTION : reply.field(39);
                    Future<Void> after = kind == TransactionJournal.Kind.REVERSAL && ResponseCodes.APPROVED.equals(code)
                            ? journal.markReversed(tid, f60.batch(), stan) : Future.succeededFuture();
                    return after.compose(v -> finish(t, request, f60, ResponseCodes.APPROVED.equals(code) ? "APPROVED" : "DECLINED",
                            code, reply));
                }), e -> e instanceof UpstreamException u
                        ? upstreamLost(t, request, f60, up, u.timeout() ? "68" : "91")
                        : Future.failedFuture(e)));
    }

    /**
     * The reversal {@link #upstreamLost} would queue, packed, for the journal row: if this process
     * dies with the message forwarded, {@link InterruptedForwards} queues it after a restart. It
     * carries no PAN and no PIN (the host matches by terminal, batch and STAN), so nothing
     * sensitive is at rest in the journal; a terminal's own reversal keeps its reason code.
     */
    private byte[] owedIfLost(PosMessage request) {
        if (kind == TransactionJournal.Kind.BALANCE) return null;
        return owedReversal(UpstreamMessages.request(request, null, settings.acquirerId())).pack();
    }

    /** The upstream 0400 owed for {@code up}: no PAN, no PIN; a terminal's own reversal keeps its reason code. */
    private PosMessage owedReversal(PosMessage up) {
        PosMessage reversal = UpstreamMessages.reversalOf(up);
        if (kind == TransactionJournal.Kind.REVERSAL && up.has(39)) reversal.set(39, up.field(39));
        return reversal;
    }

    /**
     * The host's answer is missing (or forged). What may have reached the host is reversed by the
     * gateway: a purchase or void gets a queued reversal and 68; a terminal's own reversal is
     * queued and acknowledged 00 (store and forward); a balance inquiry needs none.
     */
    private Future<Response> upstreamLost(TerminalSession t, PosMessage request, Field60 f60, PosMessage up, String code) {
        boolean mayHaveArrived = !"91".equals(code);
        if (!mayHaveArrived || kind == TransactionJournal.Kind.BALANCE) {
            return finish(t, request, f60, "FAILED", code, null);
        }
        return reversals.enqueue(owedReversal(up)).compose(v -> kind == TransactionJournal.Kind.REVERSAL
                ? finish(t, request, f60, "APPROVED", ResponseCodes.APPROVED, null)
                : finish(t, request, f60, "TIMED_OUT", code, null));
    }

    private Future<Response> finish(TerminalSession t, PosMessage request, Field60 f60, String status, String code,
            PosMessage hostReply) {
        String rrn = hostReply == null ? null : hostReply.field(37);
        String auth = hostReply == null ? null : hostReply.field(38);
        return journal.close(t.tid(), f60.batch(), request.field(11), request.mti(), status, code, rrn, auth)
                .compose(v -> sealed(t, request, code, hostReply));
    }

    private Future<Response> sealed(TerminalSession t, PosMessage request, String code, PosMessage hostReply) {
        // outdated IC-card parameters are announced in every answer (processing requirement 1); a
        // failed lookup must not cost the terminal its answer
        return ic.requirementFor(t.tid()).otherwise(ProcessingRequirement.NONE)
                .compose(requirement -> sealed(t, request, code, hostReply, requirement));
    }

    private Future<Response> sealed(TerminalSession t, PosMessage request, String code, PosMessage hostReply, int requirement) {
        PosMessage reply = request.reply(requirement, 2, 3, 4, 60);
        if (hostReply != null) {
            for (int f : new int[] {37, 38}) if (hostReply.has(f)) reply.set(f, hostReply.field(f));
        }
        PospFields.stamp(reply, settings);
        reply.set(39, code);
        return macs.seal(t, reply).map(body -> Response.reply(body, code));
    }

    /** Field 2, else the PAN of track 2 (read from the decrypted track when it came encrypted). */
    private static String pan(PosMessage request, TrackProtection.HostTracks opened) {
        return opened != null && opened.pan() != null ? opened.pan() : request.pan();
    }

    private static long amount(PosMessage m) {
        String a = m.field(4);
        return a == null ? 0 : Long.parseLong(a);
    }

    /** First 6 and last 4 digits, as everywhere the PAN is kept or shown. */
    static String maskPan(String pan) {
        if (pan == null) return null;
        if (pan.length() <= 10) return "*".repeat(pan.length());
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }
}
