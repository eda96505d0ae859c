package dev.posgate.load.gatling;

import dev.posgate.iso8583.tms.TmsMessage;
import io.gatling.javaapi.core.Session;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code tmsRequest(name, body).onResponse(...)}: a TMS/KMS request (H1/H2, D1–D3, K1–K4) whose
 * body an I/O-free terminal state machine from protocols builds, and whose answer it checks
 * in {@code onResponse} (a throw is a KO).
 */
public final class TmsRequestBuilder extends PosTcpActionBuilder {
    private final String name;
    private final Function<Session, TmsMessage> body;

    TmsRequestBuilder(String name, Function<Session, TmsMessage> body, BiFunction<Session, TmsMessage, Session> onResponse) {
        super((components, next) -> new TmsRequestAction(name, body, onResponse, components, next));
        this.name = name;
        this.body = body;
    }

    /** Runs after the answer passed (status 00, same code and seq); the Session it returns continues the user. */
    public TmsRequestBuilder onResponse(BiFunction<Session, TmsMessage, Session> handler) {
        return new TmsRequestBuilder(name, body, handler);
    }
}
