package dev.posgate.load.gatling;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;

/** Opens the virtual terminal's persistent connection (closing a previous one) and records the connect time. */
final class ConnectAction extends PosTcpAction {
    ConnectAction(String requestName, PosTcpComponents components, Action next) {
        super(requestName, components, next);
    }

    @Override
    public void execute(Session session) {
        PosConnection previous = PosTcpComponents.connectionOf(session);
        if (previous != null) previous.close();
        long start = now();
        components.connector().connect(session.eventLoop(),
                connection -> succeed(session.set(PosConnection.SESSION_KEY, connection), start, null),
                cause -> fail(session.remove(PosConnection.SESSION_KEY), start, null, String.valueOf(cause)));
    }
}
