package dev.posgate.gateway.posp;

import dev.posgate.gateway.routing.Response;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;

/**
 * The admission step of a MACed POS request ({@link MacedRequestGate}): refused with its code,
 * or handed on with the terminal and the keys it is served with.
 */
interface RequestAdmission {

    /** The request's own work, once admitted. */
    interface Admitted {
        Future<Response> handle(TerminalSession terminal, Field60 f60);
    }

    Future<Response> admit(PosMessage request, Admitted next);
}
