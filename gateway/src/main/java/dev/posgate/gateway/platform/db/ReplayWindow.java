package dev.posgate.gateway.platform.db;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * Randoms already used by a terminal, per flow, in PostgreSQL: one insert decides "first use"
 * atomically for every gateway node, where a node-local memory would let a replay through the
 * other node. Table {@code replay_window} (V5).
 */
public final class ReplayWindow {
    /** The flows whose terminal randoms are remembered. */
    public enum Flow {
        /** K2 Rnd1 of the remote TMK download. */
        KMS("kms"),
        /** H1 T_DATA random of the TMS handshake. */
        TMS("tms");

        final String column;

        Flow(String column) {
            this.column = column;
        }
    }

    private final Pool db;

    public ReplayWindow(Pool db) {
        this.db = db;
    }

    /** Records {@code rnd} for {@code owner}; false when it was seen before (a replay). */
    public Future<Boolean> firstUse(Flow flow, String owner, byte[] rnd) {
        return db.preparedQuery("insert into replay_window (flow, owner, rnd) values ($1, $2, $3) on conflict do nothing")
                .execute(Tuple.of(flow.column, owner, Buffer.buffer(rnd)))
                .map(r -> r.rowCount() == 1);
    }

    /** Forgets the randoms of {@code flow} seen more than {@code age} ago; answers how many. */
    public Future<Integer> forget(Flow flow, Duration age) {
        return db.preparedQuery("delete from replay_window where flow = $1 and seen_at < now() - make_interval(secs => $2)")
                .execute(Tuple.of(flow.column, (double) age.toSeconds()))
                .map(r -> r.rowCount());
    }
}
