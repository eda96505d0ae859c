package dev.posgate.load.gatling;

import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.pos.PosMessage;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Sends one ISO8583 request on the virtual terminal's connection and records the round trip:
 * OK when the response answers this request (MTI + 10, same STAN) and passes every check.
 */
final class RequestAction extends PosTcpAction {
    private final Function<io.gatling.javaapi.core.Session, byte[]> body;
    private final List<ResponseCheck> checks;
    private final BiFunction<io.gatling.javaapi.core.Session, PosMessage, io.gatling.javaapi.core.Session> onResponse;

    RequestAction(String requestName, Function<io.gatling.javaapi.core.Session, byte[]> body, List<ResponseCheck> checks,
            BiFunction<io.gatling.javaapi.core.Session, PosMessage, io.gatling.javaapi.core.Session> onResponse,
            PosTcpComponents components, Action next) {
        super(requestName, components, next);
        this.body = body;
        this.checks = checks;
        this.onResponse = onResponse;
    }

    @Override
    public void execute(Session session) {
        // The channel lives on the session's event loop; hop there if Gatling called us elsewhere.
        if (session.eventLoop().inEventLoop()) send(session);
        else session.eventLoop().execute(() -> send(session));
    }

    private void send(Session session) {
        long start = now();
        PosConnection connection = PosTcpComponents.connectionOf(session);
        if (connection == null) {
            fail(session, start, null, "not connected");
            return;
        }
        byte[] request = body.apply(new io.gatling.javaapi.core.Session(session));
        PosMessage sent = PosMessage.unpack(request);
        connection.send(FrameEncoder.encode(request), components.protocol().responseTimeout(),
                new PosConnection.ResponseListener() {
                    @Override
                    public void onResponse(byte[] responseBody) {
                        verify(session, start, sent, responseBody);
                    }

                    @Override
                    public void onFailure(String reason) {
                        fail(session, start, null, reason);
                    }
                });
    }

    private void verify(Session session, long start, PosMessage sent, byte[] responseBody) {
        PosMessage response;
        try {
            response = PosMessage.unpack(responseBody);
        } catch (RuntimeException e) {
            fail(session, start, null, "unparseable response: " + e.getMessage());
            return;
        }
        String code = response.has(39) ? response.field(39) : null;
        String mismatch = ResponseCheck.answers(sent).verify(response);
        for (int i = 0; mismatch == null && i < checks.size(); i++) {
            mismatch = checks.get(i).verify(response);
        }
        if (mismatch != null) {
            fail(session, start, code, mismatch);
            return;
        }
        Session next;
        try {
            next = onResponse.apply(new io.gatling.javaapi.core.Session(session), response).asScala();
        } catch (RuntimeException e) {
            fail(session, start, code, "response handler failed: " + e);
            return;
        }
        succeed(next, start, code);
    }
}
