package dev.posgate.load.gatling;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;

/** Closes the virtual terminal's connection; nothing is recorded, as a terminal hanging up has no response. */
final class DisconnectAction extends PosTcpAction {
    DisconnectAction(String requestName, PosTcpComponents components, Action next) {
        super(requestName, components, next);
    }

    @Override
    public void execute(Session session) {
        PosConnection connection = PosTcpComponents.connectionOf(session);
        if (connection != null) connection.close();
        proceed(session.remove(PosConnection.SESSION_KEY));
    }
}
