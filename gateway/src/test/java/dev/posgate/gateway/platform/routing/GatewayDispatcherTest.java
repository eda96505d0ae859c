package dev.posgate.gateway.platform.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.Tpdu;
import dev.posgate.iso8583.tlv.TlvFormatException;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.posgate.gateway.spi.Dispatcher;
import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.gateway.spi.TmsReplies;

/** Routing and failure handling of {@link GatewayDispatcher}, with handlers that answer as told: no sockets. */
class GatewayDispatcherTest {
    private static final Tpdu TPDU = new Tpdu(0x0003, 0x0000);
    private static final AppHeader HEADER = AppHeader.parse("603100310301");

    private final SessionContext session = new SessionContext(7, "unit");
    private final List<String> handled = new ArrayList<>();
    private final PosRoutes pos = new PosRoutes();
    private final Map<TmsCode, TmsHandler> tms = new EnumMap<>(TmsCode.class);

    private GatewayDispatcher dispatcher() {
        return new GatewayDispatcher(pos, tms, new GatewayMetrics(new SimpleMeterRegistry()));
    }

    private static PosMessage posRequest(String mti, Field60 f60) {
        return PosMessage.create(TPDU, HEADER, mti).set(11, "000123").set(41, "UT000001").set(42, "123456789012345")
                .set(60, f60.format());
    }

    private PosHandler answering(String name, String code) {
        return (s, request) -> {
            handled.add(name);
            return Future.succeededFuture(PosReplies.code(request, code));
        };
    }

    private Dispatcher.Routed dispatchPos(PosMessage m) {
        Future<Dispatcher.Routed> f = dispatcher().dispatch(session, Family.ISO8583, m.pack());
        assertTrue(f.succeeded(), "dispatch never fails");
        return f.result();
    }

    private Dispatcher.Routed dispatchTms(TmsCode code, long seq) {
        Future<Dispatcher.Routed> f = dispatcher().dispatch(session, Family.TMS,
                TmsMessage.of(TmsHeader.request(code, seq, false), List.of()).pack());
        assertTrue(f.succeeded(), "dispatch never fails");
        return f.result();
    }

    private static String posCode(Dispatcher.Routed routed) {
        return PosMessage.unpack(routed.response().body()).field(39);
    }

    private static String tmsStatus(Dispatcher.Routed routed) {
        return TmsHeader.parse(routed.response().body()).status();
    }

    @Test
    void posRequestsGoToTheRouteOfTheirMtiAndField60() {
        pos.on("0200", "22", null, "purchase", answering("purchase", "00"))
                .on("0200", "01", null, "balance", answering("balance", "00"))
                .on("0800", null, "001", "sign_on", answering("sign_on", "00"));

        Dispatcher.Routed purchase = dispatchPos(posRequest("0200", new Field60("22", "000001", "000")));
        Dispatcher.Routed signOn = dispatchPos(posRequest("0800", new Field60("00", "000001", "001")));

        assertEquals("purchase", purchase.type());
        assertEquals("sign_on", signOn.type());
        assertEquals(List.of("purchase", "sign_on"), handled);
        assertEquals("00", posCode(purchase));
        assertEquals("0210", PosMessage.unpack(purchase.response().body()).mti());
        assertFalse(purchase.response().closeAfter());
    }

    @Test
    void aPosRequestNothingHandlesIsAnswered12() {
        pos.on("0200", "22", null, "purchase", answering("purchase", "00"));

        Dispatcher.Routed routed = dispatchPos(posRequest("0200", new Field60("99", "000001", "000")));

        assertEquals("unknown", routed.type());
        assertEquals("12", posCode(routed));
        assertTrue(handled.isEmpty());
        assertFalse(routed.response().closeAfter());
    }

    @Test
    void aHandlerThatThrowsOrFailsIsAnswered96AndTheNextRequestIsServed() {
        pos.on("0200", "22", null, "purchase", (s, r) -> {
            throw new IllegalStateException("bug");
        }).on("0200", "01", null, "balance", (s, r) -> Future.failedFuture(new IllegalStateException("database down")))
                .on("0800", null, "001", "sign_on", answering("sign_on", "00"));

        Dispatcher.Routed thrown = dispatchPos(posRequest("0200", new Field60("22", "000001", "000")));
        Dispatcher.Routed failed = dispatchPos(posRequest("0200", new Field60("01", "000001", "000")));
        Dispatcher.Routed next = dispatchPos(posRequest("0800", new Field60("00", "000001", "001")));

        assertEquals("purchase", thrown.type());
        assertEquals("96", posCode(thrown));
        assertEquals("96", posCode(failed));
        assertFalse(thrown.response().closeAfter(), "the session goes on");
        assertEquals("00", posCode(next));
    }

    @Test
    void aFormatErrorFoundWhileHandlingIsAnswered30() {
        pos.on("0200", "22", null, "purchase",
                (s, r) -> Future.failedFuture(new TlvFormatException(TlvFormatException.Reason.MISSING_TAG, 0xDF01, "missing")));

        assertEquals("30", posCode(dispatchPos(posRequest("0200", new Field60("22", "000001", "000")))));
    }

    @Test
    void aPosResponseOrBytesThatDoNotParseCloseTheConnection() {
        Dispatcher.Routed response = dispatchPos(posRequest("0210", new Field60("22", "000001", "000")));
        assertTrue(response.response().closeAfter());
        assertNull(response.response().body());
        assertEquals("unexpected_response", response.response().result());

        Future<Dispatcher.Routed> garbage = dispatcher().dispatch(session, Family.ISO8583, new byte[] {0x60, 0x00, 0x03});
        assertTrue(garbage.succeeded());
        assertTrue(garbage.result().response().closeAfter());
        assertNull(garbage.result().response().body());
    }

    @Test
    void tmsRequestsGoToTheHandlerOfTheirCodeAndUnknownCodesAre12() {
        tms.put(TmsCode.H1, (s, request) -> {
            handled.add("h1");
            return Future.succeededFuture(TmsReplies.status(request.header(), ResultCode.APPROVED.code()));
        });

        Dispatcher.Routed h1 = dispatchTms(TmsCode.H1, 1);
        Dispatcher.Routed d1 = dispatchTms(TmsCode.D1, 2);

        assertEquals("tms_h1", h1.type());
        assertEquals("00", tmsStatus(h1));
        assertEquals("tms_unknown", d1.type());
        assertEquals("12", tmsStatus(d1));
        assertEquals(List.of("h1"), handled);
    }

    @Test
    void aFailingTmsHandlerIsAnswered96() {
        tms.put(TmsCode.H1, (s, request) -> Future.failedFuture(new IllegalStateException("HSM down")));

        Dispatcher.Routed routed = dispatchTms(TmsCode.H1, 1);

        assertEquals("tms_h1", routed.type());
        assertEquals("96", tmsStatus(routed));
        assertFalse(routed.response().closeAfter());
    }

    @Test
    void aKeyFlowSeqUsedTwiceOnAConnectionIs94() {
        tms.put(TmsCode.K1, (s, request) -> Future.succeededFuture(TmsReplies.status(request.header(), ResultCode.APPROVED.code())));
        GatewayDispatcher dispatcher = dispatcher();
        byte[] k1 = TmsMessage.of(TmsHeader.request(TmsCode.K1, 5, false), List.of()).pack();

        assertEquals("00", tmsStatus(dispatcher.dispatch(session, Family.TMS, k1).result()));
        assertEquals("94", tmsStatus(dispatcher.dispatch(session, Family.TMS, k1).result()));
    }
}
