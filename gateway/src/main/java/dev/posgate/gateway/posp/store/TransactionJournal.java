package dev.posgate.gateway.posp.store;

import dev.posgate.protocol.posp.BatchTotals;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Financial messages the POSP accepted (after their MAC verified), one row per (terminal, batch,
 * STAN, MTI). The unique key is the duplicate-transmission check: a second row is refused and the
 * terminal gets {@code 94}. Only a masked PAN is kept. {@link #totals} are the settlement totals:
 * approved purchases (debits) and approved voids (credits), reversed ones excluded.
 */
public final class TransactionJournal implements Journal {
    public enum Kind { PURCHASE, BALANCE, VOID, REVERSAL, PREAUTH, PREAUTH_CANCEL, COMPLETION, COMPLETION_VOID, REFUND, OFFLINE, ADJUSTMENT, SCRIPT_RESULT, TC_UPLOAD }

    /**
     * A row a later message names: its id, kind, status, amount, the host's auth code, its own
     * original (or null), the host's reference (37) and what has been refunded of it so far.
     */
    public record Original(long id, Kind kind, JournalStatus status, long amount, String authCode, Long origId, String rrn,
            long refunded) {}

    /**
     * What accepting an advice does to the row it names ({@link #accept}): nothing (offline
     * settlement), raise its refunded total within its amount (refund), or supersede it (adjustment).
     */
    public enum Effect { NONE, REFUND, ADJUST }

    /** Opens a row, or re-opens a FAILED one a terminal may repeat ({@link #open}); returns its id when it did. */
    private static final String OPEN = "insert into posp_transaction (tid, batch, stan, mti, kind, amount, pan_masked, orig_stan, status,"
            + " reversal) values ($1, $2, $3, $4, $5, $6, $7, $8, 'PENDING', $9)"
            + " on conflict (tid, batch, stan, mti) do update set status = 'PENDING', reversal = excluded.reversal,"
            + " response_code = null, updated_at = now()"
            + " where posp_transaction.mti in ('0400', '0220', '0620', '0320') and posp_transaction.status = 'FAILED' returning id";
    private static final String CLOSE = "update posp_transaction set status = $5, response_code = $6, rrn = $7, auth_code = $8,"
            + " reversal = null, updated_at = now() where tid = $1 and batch = $2 and stan = $3 and mti = $4";

    private final Pool pool;
    private final AdviceVault vault;
    /** The opens and the closes of one loop turn, each kind in one round trip and one commit. */
    private final GroupCommit<Boolean> opens;
    private final GroupCommit<Void> closes;

    /** Without a vault: for tests that never accept an advice ({@link #accept} fails). */
    public TransactionJournal(Pool pool) {
        this(pool, null);
    }

    /** {@code vault} encrypts the stored advices ({@link #accept}); nothing is stored in clear. */
    public TransactionJournal(Pool pool, AdviceVault vault) {
        this.pool = pool;
        this.vault = vault;
        this.opens = new GroupCommit<>(pool, OPEN, rows -> rows.size() == 1);
        this.closes = new GroupCommit<>(pool, CLOSE, rows -> null);
    }

    /**
     * Records a new message as PENDING; false when (tid, batch, stan, mti) was seen before. A
     * terminal repeats a 0400 with the same STAN until it is answered, so a 0400 whose earlier
     * attempt FAILED (it never reached the host) is opened again instead; so is a 0220 advice
     * whose attempt FAILED (never accepted: nothing applied, nothing queued).
     * {@code reversal} (packed upstream 0400, no PAN or PIN; null when none would be owed) is what
     * {@link InterruptedForwards} queues if this process dies before closing the row. Completes
     * once the row is committed (with the other opens of this loop turn, {@link GroupCommit}), so
     * the reversal it owes is durable before the request can leave for the host.
     */
    @Override
    public Future<Boolean> open(String tid, String batch, String stan, String mti, Kind kind, long amount,
            String panMasked, String origStan, byte[] reversal) {
        return opens.execute(Tuple.of(tid, batch, stan, mti, kind.name(), amount, panMasked, origStan,
                reversal == null ? null : Buffer.buffer(reversal)));
    }

    @Override
    public Future<Void> close(String tid, String batch, String stan, String mti, JournalStatus status, String code,
            String rrn, String authCode) {
        return closes.execute(Tuple.of(tid, batch, stan, mti, status.name(), code, rrn, authCode));
    }

    /** Status and response code of a journalled message. */
    public record Outcome(JournalStatus status, String responseCode) {}

    /** The outcome of (tid, batch, stan, mti) as journalled (it exists). */
    @Override
    public Future<Outcome> outcome(String tid, String batch, String stan, String mti) {
        return pool.preparedQuery("select status, response_code from posp_transaction where tid = $1 and batch = $2 and stan = $3"
                        + " and mti = $4")
                .execute(Tuple.of(tid, batch, stan, mti))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Outcome(JournalStatus.of(r.getString("status")), r.getString("response_code"));
                });
    }

    /** The status of the 0200 with this STAN in this batch, or null. */
    @Override
    public Future<JournalStatus> statusOf(String tid, String batch, String stan) {
        return pool.preparedQuery("select status from posp_transaction where tid = $1 and batch = $2 and stan = $3 and mti = '0200'")
                .execute(Tuple.of(tid, batch, stan))
                .map(rows -> rows.size() == 0 ? null : JournalStatus.of(rows.iterator().next().getString(0)));
    }

    /**
     * A 0100 or 0200 reversed (by the terminal's 0400 or by the gateway after a timeout) leaves the
     * totals; if it was APPROVED, its effect on its pre-auth is undone in the same transaction.
     */
    @Override
    public Future<Void> markReversed(String tid, String batch, String stan) {
        return pool.withTransaction(c -> c.preparedQuery("update posp_transaction t set status = 'REVERSED', reversal = null,"
                        + " updated_at = now() from posp_transaction old where old.id = t.id and t.tid = $1 and t.batch = $2"
                        + " and t.stan = $3 and t.mti in ('0100', '0200') returning t.kind, t.orig_id, old.status")
                .execute(Tuple.of(tid, batch, stan))
                .compose(rows -> {
                    if (rows.size() == 0) return Future.<Void>succeededFuture();
                    Row r = rows.iterator().next();
                    Long orig = r.getLong(1);
                    if (orig == null || !"APPROVED".equals(r.getString(2))) return Future.<Void>succeededFuture();
                    String sql = switch (Kind.valueOf(r.getString(0))) {
                        case PREAUTH_CANCEL -> "update posp_transaction set status = 'APPROVED', updated_at = now()"
                                + " where id = $1 and status = 'CANCELLED'";
                        case COMPLETION -> "update posp_transaction set status = 'APPROVED', updated_at = now()"
                                + " where id = $1 and status = 'COMPLETED'";
                        case COMPLETION_VOID -> "update posp_transaction set status = 'COMPLETED', updated_at = now()"
                                + " where id = (select orig_id from posp_transaction where id = $1) and status = 'APPROVED'";
                        default -> null;
                    };
                    return sql == null ? Future.<Void>succeededFuture() : c.preparedQuery(sql).execute(Tuple.of(orig)).mapEmpty();
                }));
    }

    @Override
    public Future<Original> original(String tid, String batch, String stan) {
        return pool.preparedQuery("select id, kind, status, amount, auth_code, orig_id, rrn, refunded from posp_transaction"
                        + " where tid = $1 and batch = $2 and stan = $3 and mti in ('0100', '0200', '0220')")
                .execute(Tuple.of(tid, batch, stan))
                .map(rows -> {
                    if (rows.size() == 0) return null;
                    Row r = rows.iterator().next();
                    return new Original(r.getLong(0), Kind.valueOf(r.getString(1)), JournalStatus.of(r.getString(2)), r.getLong(3),
                            r.getString(4), r.getLong(5), r.getString(6), r.getLong(7));
                });
    }

    /**
     * Accepts a PENDING advice in one statement: the row becomes APPROVED ({@code 00}) with its
     * packed upstream 0220, encrypted by {@link AdviceVault} (the HSM, under the advice DEK), QUEUED for {@link dev.posgate.gateway.posp.upstream.AdviceQueue}, linked
     * to {@code originalId}, and {@code effect} is applied to that original in the same statement:
     * REFUND raises {@code refunded} by {@code amount} only while the original is an APPROVED,
     * unvoided purchase or completion and the sum stays within its amount (a single-row update: a
     * concurrent refund waits for the row lock and re-evaluates the condition on the committed
     * total, and the table's check constraint refuses any excess besides); ADJUST moves an APPROVED
     * offline settlement or adjustment to ADJUSTED. False, and nothing written, when the effect
     * does not apply.
     */
    @Override
    public Future<Boolean> accept(String tid, String batch, String stan, String mti, Effect effect, Long originalId, long amount,
            byte[] advice) {
        String mine = "t.tid = $1 and t.batch = $2 and t.stan = $3 and t.mti = $4 and t.status = 'PENDING'";
        String set = "update posp_transaction t set status = 'APPROVED', response_code = '00', orig_id = $5, advice = $7,"
                + " advice_key_id = $8, advice_iv = $9, advice_state = 'QUEUED', advice_next_at = now(), updated_at = now()";
        String sql = switch (effect) {
            case NONE -> set + " where " + mine + " and $6::bigint >= 0 returning t.id";
            case REFUND -> "with target as (update posp_transaction p set refunded = p.refunded + $6, updated_at = now()"
                    + " where p.id = $5 and p.status = 'APPROVED' and p.kind in ('PURCHASE', 'COMPLETION')"
                    + " and p.refunded + $6 <= p.amount"
                    + " and not exists (select 1 from posp_transaction v where v.tid = p.tid and v.batch = p.batch"
                    + " and v.orig_stan = p.stan and v.kind = 'VOID' and v.status in ('PENDING', 'APPROVED'))"
                    + " and exists (select 1 from posp_transaction t where " + mine + ") returning p.id) "
                    + set + " from target where " + mine + " returning t.id";
            case ADJUST -> "with target as (update posp_transaction p set status = 'ADJUSTED', updated_at = now()"
                    + " where p.id = $5 and p.status = 'APPROVED' and p.kind in ('OFFLINE', 'ADJUSTMENT') and $6::bigint >= 0"
                    + " and exists (select 1 from posp_transaction t where " + mine + ") returning p.id) "
                    + set + " from target where " + mine + " returning t.id";
        };
        if (vault == null) return Future.failedFuture(new IllegalStateException("no advice vault: advices are stored encrypted only"));
        // encrypted under the advice DEK in the HSM before it is written: no card data in clear at rest
        return vault.seal(advice).compose(sealed -> {
            Tuple params = Tuple.of(tid, batch, stan, mti, originalId, amount, Buffer.buffer(sealed.body()), sealed.keyId(),
                    Buffer.buffer(sealed.iv()));
            if (effect != Effect.REFUND) return pool.preparedQuery(sql).execute(params).map(rows -> rows.size() == 1);
            // the original's row lock first, then the statement on a snapshot taken after it: a void of
            // the original committed before the lock is seen (refundedOf takes the same lock)
            return pool.withTransaction(c -> c.preparedQuery("select 1 from posp_transaction where id = $1 for update")
                    .execute(Tuple.of(originalId))
                    .compose(locked -> c.preparedQuery(sql).execute(params))
                    .map(rows -> rows.size() == 1));
        });
    }

    /**
     * What has been refunded of the 0200 with this STAN in this batch (null: none), read under a
     * share lock of its row, so that a refund being accepted (which holds the row's update lock
     * until it commits) is waited for and counted: a void checks this.
     */
    @Override
    public Future<Long> refundedOf(String tid, String batch, String stan) {
        return pool.preparedQuery("select refunded from posp_transaction where tid = $1 and batch = $2 and stan = $3"
                        + " and mti = '0200' for share")
                .execute(Tuple.of(tid, batch, stan))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
    }

    /**
     * One statement: the target moves only from {@code from} (a concurrent second completion or
     * cancel finds it moved already and gets nothing), and the message's row is linked. A
     * completion void moves the pre-auth only while its completion is the live one: no later
     * completion of that pre-auth pending or approved, no other void of it pending or approved.
     */
    @Override
    public Future<Boolean> claim(String tid, String batch, String stan, String mti, Kind kind, long originalId, long targetId,
            JournalStatus from, JournalStatus to) {
        String live = kind != Kind.COMPLETION_VOID ? "" : " and not exists (select 1 from posp_transaction o where o.orig_id = p.id"
                + " and o.kind = 'COMPLETION' and o.id > $5 and o.status in ('PENDING', 'APPROVED'))"
                + " and not exists (select 1 from posp_transaction v where v.orig_id = $5 and v.kind = 'COMPLETION_VOID'"
                + " and v.status in ('PENDING', 'APPROVED'))";
        return pool.preparedQuery("with moved as (update posp_transaction p set status = $7, updated_at = now()"
                        + " where p.id = $6 and p.status = $8" + live + " returning p.id)"
                        + " update posp_transaction t set orig_id = $5 from moved where t.tid = $1 and t.batch = $2 and t.stan = $3"
                        + " and t.mti = $4 returning t.id")
                .execute(Tuple.of(tid, batch, stan, mti, originalId, targetId, to.name(), from.name()))
                .map(rows -> rows.size() == 1);
    }

    @Override
    public Future<Void> release(long targetId, JournalStatus from, JournalStatus to) {
        return pool.preparedQuery("update posp_transaction set status = $2, updated_at = now() where id = $1 and status = $3")
                .execute(Tuple.of(targetId, from.name(), to.name()))
                .mapEmpty();
    }

    /**
     * Debits: approved purchases, pre-auth completions, offline settlements and adjustments (an
     * adjusted one is ADJUSTED, replaced by its adjustment); credits: approved voids, completion
     * voids and refunds. Pre-auths and cancels move no money and are not counted.
     */
    public Future<BatchTotals> totals(String tid, String batch) {
        return pool.preparedQuery("select"
                        + " count(*) filter (where kind in ('PURCHASE', 'COMPLETION', 'OFFLINE', 'ADJUSTMENT')) as dc,"
                        + " coalesce(sum(amount) filter (where kind in ('PURCHASE', 'COMPLETION', 'OFFLINE', 'ADJUSTMENT')), 0) as da,"
                        + " count(*) filter (where kind in ('VOID', 'COMPLETION_VOID', 'REFUND')) as cc,"
                        + " coalesce(sum(amount) filter (where kind in ('VOID', 'COMPLETION_VOID', 'REFUND')), 0) as ca"
                        + " from posp_transaction where tid = $1 and batch = $2 and mti in ('0200', '0220') and status = 'APPROVED'")
                .execute(Tuple.of(tid, batch))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new BatchTotals(r.getLong("dc").intValue(), r.getLong("da"), r.getLong("cc").intValue(), r.getLong("ca"));
                });
    }
}
