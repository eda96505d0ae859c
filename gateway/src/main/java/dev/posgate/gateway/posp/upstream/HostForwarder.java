package dev.posgate.gateway.posp.upstream;

import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import java.util.function.Supplier;

/** The forward step of the purchase path: the host's copy of a request, MACed, sent, and its answer checked. */
public interface HostForwarder {

    /**
     * The host's answer as received and its MAC check under the ZAK, still running in the HSM
     * ({@code macOk} false: forged or garbled). Nothing may act on {@code reply} before
     * {@code macOk} is true; work that only prepares an answer (the terminal's reply MAC) may
     * start at once, so that its HSM command travels with the check.
     */
    record Answer(PosMessage reply, Future<Boolean> macOk) {}

    /**
     * MACs {@code up} under the zone ZAK and sends it; {@code leaving} runs just before the bytes
     * go out (from then on the host may act on it). Completes when the answer arrives, with its
     * MAC check started. Fails with {@link UpstreamException} when there is no connection
     * (nothing sent) or no answer in time (maybe received).
     */
    Future<Answer> forward(String tid, String stan, PosMessage up, Runnable leaving);

    /** The connection to the host ({@link dev.posgate.gateway.posp.upstream.UpstreamLink#request}). */
    interface Link {
        /** The host's answer to a sealed body; fails with {@link UpstreamException}. */
        Future<PosMessage> request(String tid, String stan, String mti, byte[] body);
    }

    /**
     * Over {@code link} (null: no host configured, every request fails as unavailable), ZAK MACs
     * in the HSM; {@code zak}: the zone's current ZAK ({@link SystemKeys#zak}).
     */
    static HostForwarder over(Link link, Hsm hsm, Supplier<Future<LmkKey>> zak) {
        return (tid, stan, up, leaving) -> zak.get().compose(key -> MessageSealer.sealWithZak(hsm, key, up)
                .compose(body -> {
                    if (link == null) return Future.failedFuture(UpstreamException.unavailable("no upstream configured"));
                    leaving.run();
                    return link.request(tid, stan, up.mti(), body);
                })
                .map(reply -> new Answer(reply, MessageSealer.verifyWithZak(hsm, key, reply.wire()))));
    }
}
