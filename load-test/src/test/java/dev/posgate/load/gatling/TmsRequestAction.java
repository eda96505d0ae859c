package dev.posgate.load.gatling;

import dev.posgate.iso8583.tms.TmsMessage;
import io.gatling.core.action.Action;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Sends one TMS/KMS request (protocol.md section 3: 12-byte header, TLV or sealed body) on the
 * virtual terminal's connection and records the round trip: OK when the answer is the response
 * to this request (same code and seq, response flag) with status 00, and the terminal's own
 * handling of it ({@code onResponse}: the I/O-free state machine's check) does not throw.
 */
final class TmsRequestAction extends ExchangeAction<TmsMessage> {
    private final Function<io.gatling.javaapi.core.Session, TmsMessage> body;

    TmsRequestAction(String requestName, Function<io.gatling.javaapi.core.Session, TmsMessage> body,
            BiFunction<io.gatling.javaapi.core.Session, TmsMessage, io.gatling.javaapi.core.Session> onResponse,
            PosTcpComponents components, Action next) {
        super(requestName, onResponse, components, next);
        this.body = body;
    }

    @Override
    Outgoing<TmsMessage> request(io.gatling.javaapi.core.Session session) {
        TmsMessage request = body.apply(session);
        return new Outgoing<>(request.pack(), request);
    }

    @Override
    TmsMessage parse(byte[] responseBody) {
        return TmsMessage.unpack(responseBody);
    }

    @Override
    String code(TmsMessage response) {
        return response.header().status();
    }

    @Override
    String mismatch(TmsMessage request, TmsMessage response) {
        return mismatchOf(request, response);
    }

    /** Null when {@code response} answers {@code request} with status 00, else what is wrong. */
    static String mismatchOf(TmsMessage request, TmsMessage response) {
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
