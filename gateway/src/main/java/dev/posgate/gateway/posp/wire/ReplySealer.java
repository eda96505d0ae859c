package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.spi.Response;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import io.vertx.core.Future;
import java.util.function.Function;
import dev.posgate.gateway.posp.store.TerminalSession;

/** The seal step of the purchase path: the terminal's answer, MACed with its MAK. */
public interface ReplySealer {

    /**
     * The answer to {@code request} with {@code code} in field 39 and the host's 37, 38 and 55 (ICC
     * data: ARPC, issuer scripts) when it answered; 23 as the host (else the terminal) sent it.
     */
    Future<Response> seal(TerminalSession terminal, PosMessage request, String code, PosMessage hostReply);

    /**
     * With the POSP's own fields stamped, and processing requirement 1 in the header while the
     * terminal's IC-card parameters are outdated (a failed lookup must not cost it its answer);
     * {@code requirement}: a terminal's processing requirement ({@link IcParameters#requirementFor}).
     */
    static ReplySealer withMak(TerminalMacs macs, Function<String, Future<Integer>> requirement, PospSettings settings) {
        return (t, request, code, hostReply) -> requirement.apply(t.tid()).otherwise(ProcessingRequirement.NONE)
                .compose(processing -> {
                    // 23 (card sequence number) echoed; the host's 55 (ARPC 91, issuer scripts 71/72) goes back as sent
                    PosMessage reply = request.reply(processing, 2, 3, 4, 23, 60);
                    if (hostReply != null) {
                        for (int f : new int[] {23, 37, 38}) if (hostReply.has(f)) reply.set(f, hostReply.field(f));
                        if (hostReply.has(55)) reply.set(55, hostReply.binary(55));
                    }
                    PospFields.stamp(reply, settings);
                    reply.set(39, code);
                    return macs.seal(t, reply).map(body -> Response.reply(body, code));
                });
    }
}
