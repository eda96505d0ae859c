package dev.posgate.gateway.posp;

import dev.posgate.gateway.upstream.MessageSealer;
import dev.posgate.gateway.upstream.UpstreamException;
import dev.posgate.gateway.upstream.UpstreamLink;
import dev.posgate.hsm.Hsm;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;

/** The forward step of the purchase path: the host's copy of a request, MACed, sent, and its answer checked. */
interface HostForwarder {

    /** The host's answer and whether its MAC verified under the ZAK (false: forged or garbled). */
    record Answer(PosMessage reply, boolean macOk) {}

    /**
     * MACs {@code up} under the zone ZAK and sends it; {@code leaving} runs just before the bytes
     * go out (from then on the host may act on it). Fails with {@link UpstreamException} when
     * there is no connection (nothing sent) or no answer in time (maybe received).
     */
    Future<Answer> forward(String tid, String stan, PosMessage up, Runnable leaving);

    /** Over {@code link} (null: no host configured, every request fails as unavailable), ZAK MACs in the HSM. */
    static HostForwarder over(UpstreamLink link, Hsm hsm, SystemKeys keys, String zone) {
        return (tid, stan, up, leaving) -> keys.zak(zone).compose(zak -> MessageSealer.sealWithZak(hsm, zak, up)
                .compose(body -> {
                    if (link == null) return Future.failedFuture(UpstreamException.unavailable("no upstream configured"));
                    leaving.run();
                    return link.request(tid, stan, up.mti(), body);
                })
                .compose(reply -> MessageSealer.verifyWithZak(hsm, zak, reply.wire()).map(ok -> new Answer(reply, ok))));
    }
}
