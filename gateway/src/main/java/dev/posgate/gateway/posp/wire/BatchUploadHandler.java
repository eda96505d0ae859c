package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.posp.store.BatchSettlements;
import dev.posgate.gateway.posp.store.PospTerminals;
import dev.posgate.gateway.posp.store.PsamRegistry;
import dev.posgate.gateway.posp.store.TerminalSession;
import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.protocol.posp.BatchUpload;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch upload after an out-of-balance settlement (docs/posp.md, "Batch upload"): 0320, 60.1
 * {@code 00}, MACed both ways. 60.3 {@code 201}: a detail message, its transactions (field 48,
 * {@link BatchUpload}) kept with their masked PAN; 60.3 {@code 202}: the end of the upload, when
 * the uploaded transactions are reconciled with the journal and the result recorded per batch;
 * the terminal's batch then moves on (it closed it). A batch not waiting for an upload (settled in
 * balance, never settled, or reconciled already): {@code 12}; field 48 out of format: {@code 30}.
 */
public final class BatchUploadHandler implements PosHandler {
    private static final Logger log = LoggerFactory.getLogger(BatchUploadHandler.class);

    private final boolean end;
    private final MacedRequestGate gate;
    private final PospTerminals terminals;
    private final TerminalMacs macs;
    private final BatchSettlements batches;
    private final PospSettings settings;

    public BatchUploadHandler(boolean end, PospTerminals terminals, PsamRegistry psam, TerminalMacs macs, BatchSettlements batches,
            PospSettings settings) {
        this.end = end;
        this.terminals = terminals;
        this.macs = macs;
        this.batches = batches;
        this.settings = settings;
        this.gate = new MacedRequestGate(terminals, psam, macs, settings);
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        return gate.admit(request, (t, f60) -> end ? end(t, request, f60) : detail(t, request, f60));
    }

    private Future<Response> detail(TerminalSession t, PosMessage request, Field60 f60) {
        List<BatchUpload.Item> items;
        try {
            items = BatchUpload.parseDetail(request.field(48));
        } catch (RuntimeException e) {
            return reply(t, request, ResultCode.FORMAT_ERROR, null);
        }
        List<String> masked = items.stream().map(i -> FinancialHandler.maskPan(i.pan())).toList();
        return batches.upload(t.tid(), f60.batch(), request.field(11), items, masked)
                .compose(open -> reply(t, request, open ? ResultCode.APPROVED : ResultCode.INVALID_TRANSACTION, null));
    }

    private Future<Response> end(TerminalSession t, PosMessage request, Field60 f60) {
        int declared;
        try {
            declared = BatchUpload.parseEnd(request.field(48));
        } catch (RuntimeException e) {
            return reply(t, request, ResultCode.FORMAT_ERROR, null);
        }
        return batches.endUpload(t.tid(), f60.batch(), declared).compose(r -> {
            if (r == null) return reply(t, request, ResultCode.INVALID_TRANSACTION, null);
            if (!r.clean()) log.warn("batch {}/{} reconciled with differences: {}", t.tid(), f60.batch(), r);
            return terminals.advanceBatch(t.tid(), f60.batch())
                    .compose(v -> reply(t, request, ResultCode.APPROVED, BatchUpload.end(r.uploaded())));
        });
    }

    private Future<Response> reply(TerminalSession t, PosMessage request, ResultCode code, String field48) {
        PosMessage reply = request.reply(ProcessingRequirement.NONE, 60);
        PospFields.stamp(reply, settings);
        reply.set(39, code.code());
        if (field48 != null) reply.set(48, field48);
        return macs.seal(t, reply).map(body -> Response.reply(body, code.code()));
    }
}
