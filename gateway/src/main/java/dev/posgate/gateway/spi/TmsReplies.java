package dev.posgate.gateway.spi;

import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import java.util.List;

/** Builds TMS/KMS responses: the request's header turned into a response with a status. */
public final class TmsReplies {
    private TmsReplies() {}

    /** A response with {@code status} and an empty clear body (never sealed: there is nothing to seal). */
    public static Response status(TmsHeader request, ResultCode status) {
        return status(request, status.code());
    }

    /** {@link #status(TmsHeader, ResultCode)} with a status as a flow computed it. */
    public static Response status(TmsHeader request, String status) {
        return Response.reply(TmsMessage.of(request.response(status).withSealed(false), List.of()).pack(), status);
    }

    /** A response with {@code status} and a body, ending the session when {@code close}. */
    public static Response body(TmsHeader request, ResultCode status, List<Tlv> body, boolean close) {
        return body(request, status.code(), body, close);
    }

    /** {@link #body(TmsHeader, ResultCode, List, boolean)} with a status as a flow computed it. */
    public static Response body(TmsHeader request, String status, List<Tlv> body, boolean close) {
        byte[] packed = TmsMessage.of(request.response(status), body).pack();
        return close ? Response.replyAndClose(packed, status) : Response.reply(packed, status);
    }
}
