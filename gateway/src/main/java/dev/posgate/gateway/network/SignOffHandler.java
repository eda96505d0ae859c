package dev.posgate.gateway.network;

import dev.posgate.gateway.db.AuditLog;
import dev.posgate.gateway.db.TerminalRepository;
import dev.posgate.gateway.routing.PosHandler;
import dev.posgate.gateway.routing.PosReplies;
import dev.posgate.gateway.routing.ResponseCodes;
import dev.posgate.gateway.routing.Response;
import dev.posgate.gateway.server.SessionContext;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * 0820 with 60.3 = 002, sign-off: the terminal must be registered ({@code 97} otherwise); the
 * event is audited and answered {@code 00}. A signed-off terminal signs on before its next
 * transaction (enforced by the sign-on state, which the POSP keeps).
 */
public final class SignOffHandler implements PosHandler {
    private final TerminalRepository terminals;
    private final AuditLog audit;

    public SignOffHandler(TerminalRepository terminals, AuditLog audit) {
        this.terminals = terminals;
        this.audit = audit;
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        String tid = request.field(41);
        if (tid == null) return Future.succeededFuture(PosReplies.code(request, ResponseCodes.FORMAT_ERROR));
        return terminals.findByTid(tid).compose(found -> {
            if (found.isEmpty()) return Future.succeededFuture(PosReplies.code(request, ResponseCodes.NOT_REGISTERED));
            return audit.append("terminal:" + tid, "pos.sign_off", tid, "OK",
                            new JsonObject().put("batch", request.field60() == null ? null : request.field60().batch()))
                    .map(v -> PosReplies.code(request, ResponseCodes.APPROVED));
        });
    }
}
