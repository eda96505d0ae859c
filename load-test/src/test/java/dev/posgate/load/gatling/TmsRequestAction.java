package dev.posgate.load.gatling;

import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.tms.TmsMessage;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Sends one TMS/KMS request (protocol.md section 3: 12-byte header, TLV or sealed body) on the
 * virtual terminal's connection and records the round trip: OK when the answer is the response
 * to this request (same code and seq, response flag) with status 00, and the terminal's own
 * handling of it ({@code onResponse}: the I/O-free state machine's check) does not throw.
 */
final class TmsRequestAction extends PosTcpAction {
    private final Function<io.gatling.javaapi.core.Session, TmsMessage> body;
    private final BiFunction<io.gatling.javaapi.core.Session, TmsMessage, io.gatling.javaapi.core.Session> onResponse;

    TmsRequestAction(String requestName, Function<io.gatling.javaapi.core.Session, TmsMessage> body,
            BiFunction<io.gatling.javaapi.core.Session, TmsMessage, io.gatling.javaapi.core.Session> onResponse,
            PosTcpComponents components, Action next) {
        super(requestName, components, next);
        this.body = body;
        this.onResponse = onResponse;
    }

    @Override
    public void execute(Session session) {
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
        TmsMessage sent;
        try {
            sent = body.apply(new io.gatling.javaapi.core.Session(session));
        } catch (RuntimeException e) {
            fail(session, start, null, "request not built: " + e);
            return;
        }
        connection.send(FrameEncoder.encode(sent.pack()), components.protocol().responseTimeout(),
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

    private void verify(Session session, long start, TmsMessage sent, byte[] responseBody) {
        TmsMessage response;
        try {
            response = TmsMessage.unpack(responseBody);
        } catch (RuntimeException e) {
            fail(session, start, null, "unparseable response: " + e.getMessage());
            return;
        }
        String status = response.header().status();
        String mismatch = mismatch(sent, response);
        if (mismatch != null) {
            fail(session, start, status, mismatch);
            return;
        }
        Session next;
        try {
            next = onResponse.apply(new io.gatling.javaapi.core.Session(session), response).asScala();
        } catch (RuntimeException e) {
            fail(session, start, status, "terminal refused the answer: " + e.getMessage());
            return;
        }
        succeed(next, start, status);
    }

    /** Null when {@code response} answers {@code request} with status 00, else what is wrong. */
    static String mismatch(TmsMessage request, TmsMessage response) {
        if (!response.header().isResponse()) return "not a response";
        if (!request.header().code().equals(response.header().code())) {
            return "code " + response.header().code() + ", expected " + request.header().code();
        }
        if (request.header().seq() != response.header().seq()) {
            return "seq " + response.header().seq() + ", expected " + request.header().seq();
        }
        if (!"00".equals(response.header().status())) return "status " + response.header().status();
        return null;
    }
}
