package dev.posgate.gateway.spi;

import dev.posgate.iso8583.tms.TmsMessage;
import io.vertx.core.Future;

/** Handles one TMS/KMS transaction code. Must not block; every slow step is a future. */
@FunctionalInterface
public interface TmsHandler {
    Future<Response> handle(SessionContext session, TmsMessage request);
}
