package dev.posgate.gateway.posp.wire;

import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import dev.posgate.gateway.posp.store.PospTerminals;
import dev.posgate.gateway.posp.store.SystemKeys;
import dev.posgate.gateway.posp.store.TerminalSession;
import dev.posgate.gateway.posp.upstream.TrackProtection;

/** Before the journal: tracks a terminal sent encrypted under its TDK (53.3 = 1), opened for the host. */
public interface TrackOpener {

    /** The tracks for the host and the PAN of track 2; {@code UNREADABLE} without a TDK or when they do not decrypt. */
    Future<TrackProtection.HostTracks> open(TerminalSession terminal, PosMessage request);

    /** The terminal's TDK from its key record; re-encrypted under the zone ZEK when upstream.track.protection says so. */
    static TrackOpener withTdk(PospTerminals terminals, SystemKeys keys, TrackProtection tracks, PospSettings settings) {
        // an SM4 terminal's TDK is an SM4 key: TrackProtection takes its 16-byte TDB (docs/national-crypto.md)
        return (t, request) -> terminals.tdk(t.sn()).compose(tdk -> tdk == null
                ? Future.succeededFuture(TrackProtection.HostTracks.UNREADABLE)
                : (settings.trackProtection() == TrackProtection.Upstream.ZEK
                        ? keys.zek(settings.zone()) : Future.<LmkKey>succeededFuture(null))
                        .compose(zek -> tracks.open(request, tdk, zek)));
    }
}
