package dev.posgate.load.gatling;

import dev.posgate.iso8583.frame.FrameEncoder;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import java.util.function.BiFunction;

/**
 * One request/response exchange on the virtual terminal's connection, recorded as one request:
 * OK when the answer is the response to this request ({@link #mismatch}) and the virtual
 * terminal's own handling of it ({@code onResponse}) accepts it. The subclasses say how their
 * protocol builds, parses and matches messages (ISO8583 or TMS/KMS).
 *
 * @param <M> the protocol's message
 */
abstract class ExchangeAction<M> extends PosTcpAction {
    /** A request as sent: its frame body and the message it carries. */
    record Outgoing<M>(byte[] body, M message) {}

    private final BiFunction<io.gatling.javaapi.core.Session, M, io.gatling.javaapi.core.Session> onResponse;

    ExchangeAction(String requestName, BiFunction<io.gatling.javaapi.core.Session, M, io.gatling.javaapi.core.Session> onResponse,
            PosTcpComponents components, Action next) {
        super(requestName, components, next);
        this.onResponse = onResponse;
    }

    /** The request for this virtual user. */
    abstract Outgoing<M> request(io.gatling.javaapi.core.Session session);

    abstract M parse(byte[] responseBody);

    /** The code Gatling records with the response (39, or the TMS status). */
    abstract String code(M response);

    /** Null when {@code response} is the expected answer to {@code sent}, else what is wrong. */
    abstract String mismatch(M sent, M response);

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
        Outgoing<M> sent;
        try {
            sent = request(new io.gatling.javaapi.core.Session(session));
        } catch (RuntimeException e) {
            fail(session, start, null, "request not built: " + e);
            return;
        }
        connection.send(FrameEncoder.encode(sent.body()), components.protocol().responseTimeout(),
                new PosConnection.ResponseListener() {
                    @Override
                    public void onResponse(byte[] responseBody) {
                        verify(session, start, sent.message(), responseBody);
                    }

                    @Override
                    public void onFailure(String reason) {
                        fail(session, start, null, reason);
                    }
                });
    }

    private void verify(Session session, long start, M sent, byte[] responseBody) {
        M response;
        try {
            response = parse(responseBody);
        } catch (RuntimeException e) {
            fail(session, start, null, "unparseable response: " + e.getMessage());
            return;
        }
        String code = code(response);
        String mismatch = mismatch(sent, response);
        if (mismatch != null) {
            fail(session, start, code, mismatch);
            return;
        }
        Session next;
        try {
            next = onResponse.apply(new io.gatling.javaapi.core.Session(session), response).asScala();
        } catch (RuntimeException e) {
            fail(session, start, code, "response refused: " + e.getMessage());
            return;
        }
        succeed(next, start, code);
    }
}
