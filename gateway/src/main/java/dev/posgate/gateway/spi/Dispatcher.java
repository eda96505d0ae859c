package dev.posgate.gateway.spi;

import dev.posgate.iso8583.frame.Family;
import io.vertx.core.Future;

/** Turns one complete frame body into a response. Runs on the session's event loop and must not block. */
public interface Dispatcher {

    /** The response and the route name it came from (the metric label {@code type}). */
    record Routed(String type, Response response) {}

    /** Never fails: every problem becomes a response code or a close. */
    Future<Routed> dispatch(SessionContext session, Family family, byte[] body);
}
