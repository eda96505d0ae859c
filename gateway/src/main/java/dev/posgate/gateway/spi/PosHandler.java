package dev.posgate.gateway.spi;

import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;

/** Handles one kind of POS ISO8583 request. Must not block; every slow step is a future. */
@FunctionalInterface
public interface PosHandler {
    Future<Response> handle(SessionContext session, PosMessage request);
}
