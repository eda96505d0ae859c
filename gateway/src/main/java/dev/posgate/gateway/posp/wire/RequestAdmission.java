package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.spi.Response;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import dev.posgate.gateway.posp.store.TerminalSession;

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
