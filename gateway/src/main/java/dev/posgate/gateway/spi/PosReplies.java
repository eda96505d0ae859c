package dev.posgate.gateway.spi;

import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;

/** Builds POS responses: the reply skeleton of {@link PosMessage#reply} plus field 39. */
public final class PosReplies {
    private PosReplies() {}

    /** A response carrying only the echoed fields and {@code code} in field 39 (field 60 echoed too). */
    public static Response code(PosMessage request, ResultCode code) {
        return code(request, code.code());
    }

    /** {@link #code(PosMessage, ResultCode)} with a code as it came (a host's, or a verdict's). */
    public static Response code(PosMessage request, String code) {
        return send(request.reply(ProcessingRequirement.NONE, 60).set(39, code));
    }

    /**
     * The answer to a request that did not parse past its bitmap: its response MTI, 39 = 30, what parsed
     * of 11/41/42 (and 60, echoed like every code answer), no MAC. Field 60 is left out when it is itself
     * what failed, since only parsed fields are in {@code partial}.
     */
    public static Response formatError(PosMessage partial) {
        return code(partial, ResultCode.FORMAT_ERROR.code());
    }

    /** Packs a finished response; its field 39 is the metric result. */
    public static Response send(PosMessage reply) {
        String code = reply.field(39);
        return Response.reply(reply.pack(), code == null ? "none" : code);
    }
}
