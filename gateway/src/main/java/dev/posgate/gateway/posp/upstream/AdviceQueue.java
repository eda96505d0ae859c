package dev.posgate.gateway.posp.upstream;

import dev.posgate.gateway.posp.store.AdviceVault;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store and forward of the 0220 advices (refund, offline settlement, adjustments) the POSP has
 * accepted and answered (docs/posp.md, "Refunds, offline settlement and adjustments"). The journal
 * row holds the forward state: {@code advice_state} QUEUED with the packed upstream 0220 from the
 * statement that accepted it, encrypted under the advice DEK ({@link AdviceVault}; decrypted by the
 * HSM here, just before it is MACed and sent, and wiped), DELIVERED once a 0230 whose ZAK MAC verifies arrives (any response
 * code: the host has seen it; the code is kept in {@code advice_code}). A scan claims due rows
 * (pushing their next attempt forward in the same statement, SKIP LOCKED, so two nodes never send
 * one advice at once), MACs each under the current ZAK and sends it. Nothing is in memory only: a
 * process killed between accepting and forwarding leaves the row QUEUED, and the next scan after
 * a restart (or another node's) forwards it. Delivery is at least once; the host recognises a
 * repeat by (41 terminal, 60.2 batch, 11 STAN, MTI 0220), the key the journal is unique on.
 */
public final class AdviceQueue {
    private static final Logger log = LoggerFactory.getLogger(AdviceQueue.class);
    private static final int BATCH = 20;

    private final Vertx vertx;
    private final Pool pool;
    private final UpstreamLink link;
    private final Hsm hsm;
    private final AdviceVault vault;
    private final Supplier<Future<LmkKey>> zak;
    private final Duration retry;
    private Context context;
    private long timer = -1;
    private boolean scanning;
    private boolean again;

    public AdviceQueue(Vertx vertx, Pool pool, UpstreamLink link, Hsm hsm, AdviceVault vault, Supplier<Future<LmkKey>> zak,
            Duration retry) {
        this.vault = vault;
        this.vertx = vertx;
        this.pool = pool;
        this.link = link;
        this.hsm = hsm;
        this.zak = zak;
        this.retry = retry;
    }

    public void start() {
        context = vertx.getOrCreateContext();
        timer = vertx.setPeriodic(100, retry.toMillis(), id -> scan());
    }

    /** An advice was just accepted: scan now, on the queue's own context (not the session's). */
    public void queued() {
        Context c = context;
        if (c != null) c.runOnContext(v -> scan());
    }

    /** Claims the due advices and tries each once; returns how many were acknowledged. */
    public Future<Integer> scan() {
        if (scanning) {
            again = true;
            return Future.succeededFuture(0);
        }
        scanning = true;
        again = false;
        return pool.preparedQuery("update posp_transaction set advice_attempts = advice_attempts + 1,"
                        + " advice_next_at = now() + make_interval(secs => $1)"
                        + " where id in (select id from posp_transaction where advice_state = 'QUEUED' and advice_next_at <= now()"
                        + " order by advice_next_at, id limit $2 for update skip locked) returning id, tid, stan, advice, advice_key_id, advice_iv")
                .execute(Tuple.of((double) retry.toMillis() / 1000.0, BATCH))
                .compose(rows -> {
                    List<Future<Boolean>> sent = new ArrayList<>();
                    for (Row r : rows) sent.add(deliver(r.getLong("id"), r.getString("tid"), r.getString("stan"), r));
                    return Future.join(sent).map(cf -> {
                        int ok = 0;
                        for (int i = 0; i < sent.size(); i++) if (Boolean.TRUE.equals(cf.resultAt(i))) ok++;
                        return ok;
                    });
                })
                .onFailure(e -> log.warn("advice scan failed: {}", e.toString()))
                .onComplete(ar -> {
                    scanning = false;
                    if (again) scan();
                });
    }

    /** The stored advice, opened by the HSM (a row sealed before V16 and not yet resealed is clear). */
    private Future<PosMessage> open(Row r) {
        byte[] body = r.getBuffer("advice").getBytes();
        Long keyId = r.getLong("advice_key_id");
        Future<byte[]> clear = keyId == null ? Future.succeededFuture(body)
                : vault.open(keyId, r.getBuffer("advice_iv").getBytes(), body);
        return clear.compose(bytes -> {
            try {
                return Future.succeededFuture(PosMessage.unpack(bytes));
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        });
    }

    private Future<Boolean> deliver(long id, String tid, String stan, Row row) {
        return open(row).compose(advice -> zak.get().compose(key -> MessageSealer.sealWithZak(hsm, key, advice)
                        .compose(sealed -> link.request(tid, stan, advice.mti(), sealed))
                        // only a genuine 0230 (valid ZAK MAC) takes an advice off the queue
                        .compose(reply -> MessageSealer.requireZakMac(hsm, key, reply))))
                .compose(reply -> pool.preparedQuery("update posp_transaction set advice_state = 'DELIVERED', advice = null,"
                                + " advice_code = $2, advice_error = null, advice_delivered_at = now(), updated_at = now() where id = $1")
                        .execute(Tuple.of(id, reply.field(39)))
                        .map(v -> {
                            if (!"00".equals(reply.field(39))) {
                                log.warn("host answered advice {}/{} with {} (kept for reconciliation)", tid, stan, reply.field(39));
                            }
                            return true;
                        }))
                .recover(e -> pool.preparedQuery("update posp_transaction set advice_error = $2 where id = $1")
                        .execute(Tuple.of(id, MessageSealer.failureText(e)))
                        .map(false));
    }


    public void stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }
}
