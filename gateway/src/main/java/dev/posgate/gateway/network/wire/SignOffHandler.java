package dev.posgate.gateway.network.wire;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * 0820 with 60.3 = 002, sign-off: the terminal must be registered ({@code 97} otherwise); its
 * session ends (protocol.md 2.1: the sign-on state row is deleted, so its financial messages get
 * {@code 77} with processing requirement 3 until it signs on again, which writes the row anew from
 * its request) and the event is audited in the same transaction, then answered {@code 00}.
 */
public final class SignOffHandler implements PosHandler {
    private final Pool pool;
    private final TerminalRepository terminals;
    private final AuditLog audit;

    public SignOffHandler(Pool pool, TerminalRepository terminals, AuditLog audit) {
        this.pool = pool;
        this.terminals = terminals;
        this.audit = audit;
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        String tid = request.field(41);
        if (tid == null) return Future.succeededFuture(PosReplies.code(request, ResultCode.FORMAT_ERROR));
        return terminals.findByTid(tid).compose(found -> {
            if (found.isEmpty()) return Future.succeededFuture(PosReplies.code(request, ResultCode.NOT_REGISTERED));
            JsonObject detail = new JsonObject().put("batch", request.field60() == null ? null : request.field60().batch());
            return pool.withTransaction(tx -> tx.preparedQuery("delete from posp_terminal_state where tid = $1")
                            .execute(Tuple.of(tid))
                            .compose(rows -> audit.append(tx, "terminal:" + tid, "pos.sign_off", tid, "OK",
                                    detail.put("sessionEnded", rows.rowCount() > 0))))
                    // this node's copy of the session goes now; other nodes hear of it by NOTIFY (V19)
                    .andThen(ar -> terminals.changedHere(tid))
                    .map(v -> PosReplies.code(request, ResultCode.APPROVED));
        });
    }
}
