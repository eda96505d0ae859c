package dev.posgate.load.gatling;

import dev.posgate.iso8583.pos.PosMessage;
import io.gatling.core.action.Action;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Sends one ISO8583 request on the virtual terminal's connection and records the round trip:
 * OK when the response answers this request (MTI + 10, same STAN) and passes every check.
 */
final class RequestAction extends ExchangeAction<PosMessage> {
    private final Function<io.gatling.javaapi.core.Session, byte[]> body;
    private final List<ResponseCheck> checks;

    RequestAction(String requestName, Function<io.gatling.javaapi.core.Session, byte[]> body, List<ResponseCheck> checks,
            BiFunction<io.gatling.javaapi.core.Session, PosMessage, io.gatling.javaapi.core.Session> onResponse,
            PosTcpComponents components, Action next) {
        super(requestName, onResponse, components, next);
        this.body = body;
        this.checks = checks;
    }

    @Override
    Outgoing<PosMessage> request(io.gatling.javaapi.core.Session session) {
        byte[] request = body.apply(session);
        return new Outgoing<>(request, PosMessage.unpack(request));
    }

    @Override
    PosMessage parse(byte[] responseBody) {
        return PosMessage.unpack(responseBody);
    }

    @Override
    String code(PosMessage response) {
        return response.has(39) ? response.field(39) : null;
    }

    @Override
    String mismatch(PosMessage sent, PosMessage response) {
        String mismatch = ResponseCheck.answers(sent).verify(response);
        for (int i = 0; mismatch == null && i < checks.size(); i++) {
            mismatch = checks.get(i).verify(response);
        }
        return mismatch;
    }
}
