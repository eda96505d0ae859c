package dev.posgate.gateway.posp.upstream;

import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reversals the host must acknowledge, persisted in posp_reversal so they survive a restart.
 * A periodic scan claims due rows (pushing their next attempt forward in the same statement, with
 * SKIP LOCKED, so two gateway nodes never send one reversal at once), MACs each under the current
 * ZAK and sends it; a 0410 (any response code: the host has seen it) marks it DELIVERED.
 */
public final class ReversalQueue {
    private static final Logger log = LoggerFactory.getLogger(ReversalQueue.class);
    private static final int BATCH = 20;

    private final Vertx vertx;
    private final Pool pool;
    private final UpstreamLink link;
    private final Hsm hsm;
    private final Supplier<Future<LmkKey>> zak;
    private final Duration retry;
    private final Function<PosMessage, Future<Void>> onDelivered;
    private long timer = -1;
    private boolean scanning;

    /** {@code onDelivered(reversal)} runs after the host acknowledged a reversal, before its row is marked DELIVERED. */
    public ReversalQueue(Vertx vertx, Pool pool, UpstreamLink link, Hsm hsm, Supplier<Future<LmkKey>> zak,
            Duration retry, Function<PosMessage, Future<Void>> onDelivered) {
        this.vertx = vertx;
        this.pool = pool;
        this.link = link;
        this.hsm = hsm;
        this.zak = zak;
        this.retry = retry;
        this.onDelivered = onDelivered;
    }

    /** Persists a reversal (unMACed upstream 0400); a second one for the same terminal and STAN is ignored. */
    public Future<Void> enqueue(PosMessage reversal) {
        return pool.preparedQuery("insert into posp_reversal (tid, stan, message) values ($1, $2, $3) on conflict do nothing")
                .execute(Tuple.of(reversal.field(41), reversal.field(11), io.vertx.core.buffer.Buffer.buffer(reversal.pack())))
                .mapEmpty();
    }

    public void start() {
        timer = vertx.setPeriodic(200, retry.toMillis(), id -> scan());
    }

    /** Claims the due reversals and tries each once; returns how many were delivered. */
    public Future<Integer> scan() {
        if (scanning) return Future.succeededFuture(0);
        scanning = true;
        return pool.preparedQuery("update posp_reversal set attempts = attempts + 1,"
                        + " next_attempt_at = now() + make_interval(secs => $1)"
                        + " where id in (select id from posp_reversal where state = 'PENDING' and next_attempt_at <= now()"
                        + " order by id limit $2 for update skip locked) returning id, tid, stan, message")
                .execute(Tuple.of((double) retry.toSeconds(), BATCH))
                .compose(rows -> {
                    List<Future<Boolean>> sent = new ArrayList<>();
                    for (Row r : rows) sent.add(deliver(r.getLong("id"), r.getString("tid"), r.getString("stan"),
                            r.getBuffer("message").getBytes()));
                    return Future.join(sent).map(cf -> {
                        int ok = 0;
                        for (int i = 0; i < sent.size(); i++) if (Boolean.TRUE.equals(cf.resultAt(i))) ok++;
                        return ok;
                    });
                })
                .onComplete(ar -> scanning = false)
                .onFailure(e -> log.warn("reversal scan failed: {}", e.toString()));
    }

    private Future<Boolean> deliver(long id, String tid, String stan, byte[] body) {
        PosMessage reversal = PosMessage.unpack(body);
        return zak.get().compose(key -> MessageSealer.sealWithZak(hsm, key, reversal)
                        .compose(sealed -> link.request(tid, stan, "0400", sealed))
                        // Only a genuine 0410 (valid ZAK MAC) takes a reversal off the queue.
                        .compose(reply -> MessageSealer.requireZakMac(hsm, key, reply)))
                // The journal first, then the queue row: a crash between the two leaves the reversal
                // PENDING, so it is sent again (the host takes a repeated 0400) and the journal update
                // is idempotent; the other order could leave a delivered reversal on a TIMED_OUT row.
                .compose(reply -> onDelivered.apply(reversal)
                        .compose(v -> pool.preparedQuery("update posp_reversal set state = 'DELIVERED', delivered_at = now(),"
                                        + " last_error = $2 where id = $1")
                                .execute(Tuple.of(id, "host answered " + reply.field(39))))
                        .map(true))
                .recover(e -> pool.preparedQuery("update posp_reversal set last_error = $2 where id = $1")
                        .execute(Tuple.of(id, MessageSealer.failureText(e)))
                        .map(false));
    }


    public void stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }
}
