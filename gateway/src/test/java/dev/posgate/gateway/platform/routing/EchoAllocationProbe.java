package dev.posgate.gateway.platform.routing;

import dev.posgate.gateway.network.wire.EchoHandler;
import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.Dispatcher;
import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.Tpdu;
import dev.posgate.iso8583.tms.TmsCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.function.Supplier;

/**
 * Issue 19, not a test: heap bytes allocated per 0820 echo by each part of the gateway's echo path
 * (on the calling thread, after warm-up), to see where an echo's cost goes next to a raw echo
 * server, which allocates little more than the frame.
 *
 * <pre>java -cp gateway/target/test-classes:gateway/target/classes:$(cat cp.txt) \
 *     dev.posgate.gateway.platform.routing.EchoAllocationProbe</pre>
 */
public final class EchoAllocationProbe {
    private EchoAllocationProbe() {
    }

    public static void main(String[] args) {
        PosRoutes pos = new PosRoutes();
        pos.on("0820", null, "301", "echo", new EchoHandler());
        GatewayDispatcher dispatcher = new GatewayDispatcher(pos, new EnumMap<>(TmsCode.class),
                new GatewayMetrics(new SimpleMeterRegistry()));
        SessionContext session = new SessionContext(1, "probe");
        byte[] echo = PosMessage.create(new Tpdu(0x0003, 0x0000), AppHeader.parse("603100310301"), "0820")
                .set(11, "000123").set(41, "UT000001").set(42, "123456789012345")
                .set(60, new Field60("00", "000001", "301").format()).pack();
        PosMessage request = PosMessage.unpack(echo);
        int n = 200_000;
        measure("frame body copy (decoder)", n, () -> echo.clone());
        measure("PosMessage.unpack", n, () -> PosMessage.unpack(echo));
        measure("reply 0830 built and packed (PosReplies.code)", n, () -> PosReplies.code(request, ResultCode.APPROVED));
        measure("whole dispatch (unpack, route, handler, pack)", n, () -> {
            Future<Dispatcher.Routed> f = dispatcher.dispatch(session, Family.ISO8583, echo);
            return f.result().response().body();
        });
        System.out.printf("echo request %d bytes%n", echo.length);
    }

    private static void measure(String what, int n, Supplier<Object> op) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        Object sink = null;
        for (int i = 0; i < n; i++) sink = op.get(); // warm-up
        long b0 = mx.getThreadAllocatedBytes(id);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) sink = op.get();
        long t1 = System.nanoTime();
        long b1 = mx.getThreadAllocatedBytes(id);
        System.out.printf("%-50s %7d bytes  %7.0f ns per echo%s%n", what, (b1 - b0) / n, (t1 - t0) / (double) n,
                sink == null ? "?" : "");
    }
}
