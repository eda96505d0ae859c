package dev.posgate.load.gatling;

import dev.posgate.iso8583.pos.PosMessage;
import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code request(name, body).check(...).onResponse(...)}: an immutable request action with
 * response checks and, for multi-step flows, a hook that saves what the next request needs from
 * a passing response (working keys after sign-on, a TMS session after H2) into the Session.
 */
public final class PosTcpRequestBuilder extends PosTcpActionBuilder {
    private final String name;
    private final Function<Session, byte[]> body;
    private final List<ResponseCheck> checks;
    private final BiFunction<Session, PosMessage, Session> onResponse;

    PosTcpRequestBuilder(String name, Function<Session, byte[]> body, List<ResponseCheck> checks,
            BiFunction<Session, PosMessage, Session> onResponse) {
        super((components, next) -> new RequestAction(name, body, List.copyOf(checks), onResponse, components, next));
        this.name = name;
        this.body = body;
        this.checks = List.copyOf(checks);
        this.onResponse = onResponse;
    }

    public PosTcpRequestBuilder check(ResponseCheck... more) {
        List<ResponseCheck> all = new ArrayList<>(checks);
        all.addAll(List.of(more));
        return new PosTcpRequestBuilder(name, body, all, onResponse);
    }

    /** Runs after every check passed; the Session it returns continues the virtual user. */
    public PosTcpRequestBuilder onResponse(BiFunction<Session, PosMessage, Session> handler) {
        return new PosTcpRequestBuilder(name, body, checks, handler);
    }
}
