package dev.posgate.gateway.spi;

import dev.posgate.iso8583.tms.TmsCode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.Map;

/**
 * One functional area of the gateway (network management, TMS, KMS, POSP...): it registers
 * its POS routes, TMS/KMS handlers and admin endpoints, and may do asynchronous set-up
 * (loading certificates, subscribing to notifications) before the listeners open.
 */
public interface GatewayModule {

    /**
     * Registers this module's routes. {@code admin} is mounted under {@code /api} behind the
     * bearer token; a module adds its own body handler with the limit its endpoints need.
     */
    Future<Void> install(GatewayContext context, PosRoutes pos, Map<TmsCode, TmsHandler> tms, Router admin);

    /** Releases what {@link #install} acquired; called on shutdown after the listeners drained. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
