package dev.posgate.load.gatling;

import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Entry points of the POS TCP protocol for simulations:
 * <pre>
 * exec(connect("connect"))
 *     .exec(request("echo", session -> PosFrames.echo()).check(field(39, "00")))
 *     .exec(disconnect())
 * </pre>
 */
public final class PosTcpDsl {
    private PosTcpDsl() {
    }

    /** Loopback, connect timeout 5 s, response timeout 10 s; set the port with {@code address}. */
    public static PosTcpProtocolBuilder posTcp() {
        return new PosTcpProtocolBuilder("127.0.0.1", 0, Duration.ofSeconds(5), Duration.ofSeconds(10), null);
    }

    public static ActionBuilder connect(String name) {
        return new PosTcpActionBuilder((components, next) -> new ConnectAction(name, components, next));
    }

    /** A request whose frame body (TPDU onwards, without LEN) the function builds per virtual user. */
    public static PosTcpRequestBuilder request(String name, Function<Session, byte[]> body) {
        return new PosTcpRequestBuilder(name, body, List.of(), (session, response) -> session);
    }

    /** A TMS/KMS request (protocol.md section 3) built by a terminal state machine per virtual user. */
    public static TmsRequestBuilder tmsRequest(String name, Function<Session, dev.posgate.iso8583.tms.TmsMessage> body) {
        return new TmsRequestBuilder(name, body, (session, response) -> session);
    }

    public static ActionBuilder disconnect() {
        return new PosTcpActionBuilder((components, next) -> new DisconnectAction("disconnect", components, next));
    }

    public static ResponseCheck field(int no, String expected) {
        return ResponseCheck.field(no, expected);
    }
}
