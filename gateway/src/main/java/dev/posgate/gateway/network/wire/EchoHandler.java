package dev.posgate.gateway.network.wire;

import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.SessionContext;
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
