package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.posp.upstream.MessageSealer;
import dev.posgate.gateway.posp.upstream.UpstreamException;
import dev.posgate.gateway.posp.upstream.UpstreamLink;
import dev.posgate.gateway.posp.upstream.UpstreamMessages;
import dev.posgate.hsm.Hsm;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.protocol.posp.BatchTotals;
import io.vertx.core.Future;
import dev.posgate.gateway.posp.store.BatchSettlements;
import dev.posgate.gateway.posp.store.PospTerminals;
import dev.posgate.gateway.posp.store.PsamRegistry;
import dev.posgate.gateway.posp.store.SystemKeys;
import dev.posgate.gateway.posp.store.TerminalSession;
import dev.posgate.gateway.posp.store.TransactionJournal;

/**
 * 0500 batch settlement (60.3 201): the terminal's totals in field 48 are reconciled against the
 * journal of the batch in 60.2, and the settlement goes on to the host with the gateway's totals.
 * The answer carries field 48 = the gateway's totals and {@code 1} (in balance) or {@code 2} (out
 * of balance), and the host's response code ({@code 91}/{@code 68} when it cannot be reached;
 * nothing is reversed for a settlement). In balance and approved, the terminal's next batch is
 * 60.2 + 1. Choices: docs/posp.md.
 */
public final class SettlementHandler implements PosHandler {
    private final PospTerminals terminals;
    private final TerminalMacs macs;
    private final TransactionJournal journal;
    private final Hsm hsm;
    private final SystemKeys systemKeys;
    private final UpstreamLink upstream;
    private final PospSettings settings;
    private final MacedRequestGate gate;
    private final BatchSettlements batches;

    public SettlementHandler(PospTerminals terminals, PsamRegistry psam, TerminalMacs macs, TransactionJournal journal, Hsm hsm,
            SystemKeys systemKeys, UpstreamLink upstream, PospSettings settings, BatchSettlements batches) {
        this.batches = batches;
        this.terminals = terminals;
        this.macs = macs;
        this.journal = journal;
        this.hsm = hsm;
        this.systemKeys = systemKeys;
        this.upstream = upstream;
        this.settings = settings;
        this.gate = new MacedRequestGate(terminals, psam, macs, settings);
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        return gate.admit(request, (t, f60) -> settle(t, request, f60));
    }

    private Future<Response> settle(TerminalSession t, PosMessage request, Field60 f60) {
        String tid = t.tid();
        BatchTotals claimed;
        try {
            claimed = BatchTotals.parse(request.field(48));
        } catch (RuntimeException e) {
            return reply(t, request, ResultCode.FORMAT_ERROR.code(), null);
        }
        return journal.totals(tid, f60.batch()).compose(ours -> {
            String field48 = ours.field48(ours.equals(claimed) ? BatchTotals.IN_BALANCE : BatchTotals.OUT_OF_BALANCE);
            return forward(request, field48).compose(code -> {
                boolean closed = ours.equals(claimed) && ResultCode.APPROVED.is(code);
                Future<Void> next = closed ? terminals.advanceBatch(tid, f60.batch()) : Future.succeededFuture();
                // the result per batch; out of balance, the batch now waits for the terminal's upload (0320)
                return batches.settled(tid, f60.batch(), claimed, ours, code).compose(v -> next)
                        .compose(v -> reply(t, request, code, field48));
            });
        });
    }

    /** The host's response code for the settlement, carrying the gateway's totals. */
    private Future<String> forward(PosMessage request, String field48) {
        if (upstream == null) return Future.succeededFuture(ResultCode.ISSUER_UNAVAILABLE.code());
        PosMessage up = UpstreamMessages.request(request, null, settings.acquirerId()).set(48, field48);
        return systemKeys.zak(settings.zone()).compose(zak -> MessageSealer.sealWithZak(hsm, zak, up)
                .compose(body -> upstream.request(request.field(41), request.field(11), "0500", body))
                .compose(reply -> MessageSealer.verifyWithZak(hsm, zak, reply.wire())
                        .map(macOk -> macOk && reply.has(39) ? reply.field(39) : ResultCode.SYSTEM_MALFUNCTION.code())))
                .recover(e -> e instanceof UpstreamException u
                        ? Future.succeededFuture((u.timeout() ? ResultCode.RESPONSE_TOO_LATE : ResultCode.ISSUER_UNAVAILABLE).code())
                        : Future.failedFuture(e));
    }

    private Future<Response> reply(TerminalSession t, PosMessage request, String code, String field48) {
        PosMessage reply = request.reply(ProcessingRequirement.NONE, 60);
        PospFields.stamp(reply, settings);
        reply.set(39, code);
        if (field48 != null) reply.set(48, field48);
        return macs.seal(t, reply).map(body -> Response.reply(body, code));
    }
}
