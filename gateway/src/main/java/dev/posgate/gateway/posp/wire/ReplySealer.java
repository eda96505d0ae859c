package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.spi.Response;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import io.vertx.core.Future;
import java.util.function.Function;
import dev.posgate.gateway.posp.store.TerminalSession;

/** The seal step of the purchase path: the terminal's answer, MACed with its MAK. */
public interface ReplySealer {

    /** The answer to {@code request} with {@code code} in field 39 and the host's 37 and 38 when it answered. */
    Future<Response> seal(TerminalSession terminal, PosMessage request, String code, PosMessage hostReply);

    /**
     * With the POSP's own fields stamped, and processing requirement 1 in the header while the
     * terminal's IC-card parameters are outdated (a failed lookup must not cost it its answer);
     * {@code requirement}: a terminal's processing requirement ({@link IcParameters#requirementFor}).
     */
    static ReplySealer withMak(TerminalMacs macs, Function<String, Future<Integer>> requirement, PospSettings settings) {
        return (t, request, code, hostReply) -> requirement.apply(t.tid()).otherwise(ProcessingRequirement.NONE)
                .compose(processing -> {
                    PosMessage reply = request.reply(processing, 2, 3, 4, 60);
                    if (hostReply != null) {
                        for (int f : new int[] {37, 38}) if (hostReply.has(f)) reply.set(f, hostReply.field(f));
                    }
                    PospFields.stamp(reply, settings);
                    reply.set(39, code);
                    return macs.seal(t, reply).map(body -> Response.reply(body, code));
                });
    }
}
