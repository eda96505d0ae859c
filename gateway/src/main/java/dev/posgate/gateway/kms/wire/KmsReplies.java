package dev.posgate.gateway.kms.wire;

import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsReplies;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.FlowRefusedException;
import io.vertx.core.Future;

/** Turns a K/L-flow refusal into its answer: a failed security check ({@code 63}) also ends the session. */
final class KmsReplies {
    private KmsReplies() {}

    static Future<Response> refusal(TmsMessage request, Throwable e) {
        if (e instanceof FlowRefusedException r) return Future.succeededFuture(refuse(request, r.status()));
        return Future.failedFuture(e);
    }

    static Response refuse(TmsMessage request, String status) {
        Response r = TmsReplies.status(request.header(), status);
        return ResultCode.SECURITY_VIOLATION.is(status) ? Response.replyAndClose(r.body(), status) : r;
    }
}
