package dev.posgate.load.gatling;

import io.gatling.core.CoreComponents;
import io.gatling.core.protocol.ProtocolComponents;
import io.gatling.core.session.Session;
import scala.Function1;
import scala.Option;
import scala.runtime.BoxedUnit;

/**
 * Per-simulation runtime of the protocol: the connector on Gatling's event loops, and the
 * clean-up that closes a virtual user's connection when the user ends.
 */
public final class PosTcpComponents implements ProtocolComponents {
    private final PosTcpProtocol protocol;
    private final CoreComponents core;
    private final PosConnector connector;

    PosTcpComponents(PosTcpProtocol protocol, CoreComponents core) {
        this.protocol = protocol;
        this.core = core;
        this.connector = new PosConnector(protocol, core.configuration());
    }

    PosTcpProtocol protocol() {
        return protocol;
    }

    CoreComponents core() {
        return core;
    }

    PosConnector connector() {
        return connector;
    }

    @Override
    public Function1<Session, Session> onStart() {
        return session -> session;
    }

    @Override
    public Function1<Session, BoxedUnit> onExit() {
        return session -> {
            PosConnection connection = connectionOf(session);
            if (connection != null) connection.close();
            return BoxedUnit.UNIT;
        };
    }

    /** The virtual user's connection, or null before connect / after disconnect. */
    static PosConnection connectionOf(Session session) {
        Option<Object> value = session.attributes().get(PosConnection.SESSION_KEY);
        return value.isDefined() ? (PosConnection) value.get() : null;
    }
}
