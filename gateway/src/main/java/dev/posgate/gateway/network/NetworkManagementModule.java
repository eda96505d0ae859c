package dev.posgate.gateway.network;

import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.spi.GatewayModule;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.iso8583.tms.TmsCode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.Map;
import dev.posgate.gateway.network.wire.EchoHandler;
import dev.posgate.gateway.network.wire.SignOffHandler;

/** 08xx network management that needs no keys: echo test (301) and sign-off (002). */
public final class NetworkManagementModule implements GatewayModule {
    @Override
    public Future<Void> install(GatewayContext c, PosRoutes pos, Map<TmsCode, TmsHandler> tms, Router admin) {
        pos.on("0820", null, "301", "echo", new EchoHandler())
                .on("0820", null, "002", "sign_off", new SignOffHandler(c.db(), c.terminals(), c.audit()));
        return Future.succeededFuture();
    }
}
