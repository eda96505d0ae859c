package dev.posgate.gateway.network;

import dev.posgate.gateway.routing.PosHandler;
import dev.posgate.gateway.routing.PosReplies;
import dev.posgate.gateway.routing.ResultCode;
import dev.posgate.gateway.routing.Response;
import dev.posgate.gateway.server.SessionContext;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;

/**
 * 0820 with 60.3 = 301, the link test: answered 0830 with 39 = 00, the same STAN and the
 * TPDU swapped, without touching the database, so it measures the gateway itself.
 */
public final class EchoHandler implements PosHandler {
    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        return Future.succeededFuture(PosReplies.code(request, ResultCode.APPROVED));
    }
}
