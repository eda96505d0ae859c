package dev.posgate.gateway.posp.store;

import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.hsm.LmkKey;
import dev.posgate.gateway.platform.db.PgNotifications;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sign-on state in PostgreSQL: working keys as versioned key_records (owner TERMINAL, the
 * terminal's SN, types PIK/MAK/TDK, the TMK's key index) and the posp_terminal_state row with the
 * sign-on grace set (V7; docs/posp.md, "Sign-on grace").
 *
 * <p>Issue 19: {@link #session} is served from memory on this node (terminal id → its
 * {@link TerminalSession}), so a purchase needs no query to learn its keys. Any change to a
 * terminal, its state row or its PIK/MAK notifies {@code posp_terminal_session} (V19 triggers) on
 * the node's {@link PgNotifications} connection and every node drops its copy; this node's own
 * writes drop it at once. A copy is kept only while that connection is up (dropped when it is
 * lost, and nothing is kept until it LISTENs again), never past the end of its grace set, and a
 * load that raced a change is not kept. Another node's change reaches this node within the
 * notification's delivery; a request refused with a copy (MAC, sign-on date, status) is judged
 * again on a fresh read ({@link #reload}).
 */
public final class PospTerminals {
    /** The V19 triggers' channel: the payload is the TID whose sign-on state changed. */
    public static final String SESSION_CHANNEL = "posp_terminal_session";
    /** A copy is read again after this long even without a change (a guard, not the mechanism). */
    private static final long MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** Copies kept at most (a fleet larger than this is served partly by queries). */
    private static final int MAX_CACHED = 1_000_000;
    private static final int STRIPES = 1024;

    private record Cached(TerminalSession session, long expiresAt) {}

    private final Pool pool;
    private final KeyRepository keys;
    private final int keyIndex;
    private final Duration signOnGrace;
    private final PgNotifications notifications;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** The TID of every SN whose session this node read (both are unique and fixed at registration). */
    private final Map<String, String> tidBySn = new ConcurrentHashMap<>();
    /** Bumped by every invalidation of a TID of the stripe: a load that overlapped one is not kept. */
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    /** Bumped when the LISTEN connection is lost or LISTENs again: every load in flight is not kept. */
    private final AtomicLong epoch = new AtomicLong();
    private final LongAdder heard = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final String signOnSql;

    /** {@code signOnGrace}: how long the keys a terminal used stay valid after a sign-on (zero: not at all). No copy in memory. */
    public PospTerminals(Pool pool, KeyRepository keys, int keyIndex, Duration signOnGrace) {
        this(pool, keys, keyIndex, signOnGrace, null);
    }

    /** With sessions kept in memory, invalidated through {@code notifications} (null: every session is read). */
    public PospTerminals(Pool pool, KeyRepository keys, int keyIndex, Duration signOnGrace, PgNotifications notifications) {
        this.pool = pool;
        this.keys = keys;
        this.keyIndex = keyIndex;
        this.signOnGrace = signOnGrace;
        this.notifications = notifications;
        this.signOnSql = signOnSql(signOnGrace);
        if (notifications != null) {
            notifications.subscribe(SESSION_CHANNEL, payload -> {
                heard(payload);
                heard.increment();
            }, () -> {
                dropAll();
                return Future.succeededFuture();
            }, this::dropAll);
        }
    }

    /**
     * A TID, or "sn:" and the SN whose working keys changed: the TID this node knows for that SN
     * is dropped; an SN it does not know yet may belong to a session being read, which is then
     * not kept.
     */
    private void heard(String payload) {
        if (!payload.startsWith("sn:")) {
            invalidate(payload);
            return;
        }
        String tid = tidBySn.get(payload.substring(3));
        if (tid != null) invalidate(tid);
        else epoch.incrementAndGet();
    }

    /** Drops this node's copy of {@code tid}'s session (its next request reads it). */
    public void invalidate(String tid) {
        generations.incrementAndGet(stripe(tid));
        cache.remove(tid);
    }

    private void dropAll() {
        epoch.incrementAndGet();
        cache.clear();
    }

    private static int stripe(String tid) {
        return (tid.hashCode() & 0x7fffffff) % STRIPES;
    }

    /** Notifications of a changed session heard on the LISTEN connection (tests wait for one). */
    public long invalidationsHeard() {
        return heard.sum();
    }

    /** Sessions served from memory. */
    public long cacheHits() {
        return hits.sum();
    }

    /** Sessions read from PostgreSQL. */
    public long cacheLoads() {
        return loads.sum();
    }

    /** Sessions held in memory now. */
    public int cached() {
        return cache.size();
    }

    /** One issued working key, to store under the LMK. */
    public record IssuedKey(String keyType, LmkKey underLmk, String kcvHex) {}

    /**
     * The terminal with its sign-on state and active PIK/MAK, or empty when the TID is not
     * registered: this node's copy when it has one ({@link #copy}), else read (and kept).
     */
    public Future<Optional<TerminalSession>> session(String tid) {
        TerminalSession copy = copy(tid);
        return copy != null ? Future.succeededFuture(Optional.of(copy)) : load(tid);
    }

    /**
     * This node's copy of {@code tid}'s session, or null when it has none (or none it may trust:
     * the LISTEN connection is down, or the copy outlived its grace set). A request refused on a
     * copy is judged again on {@link #reload}: another node's change may not have been heard yet.
     */
    public TerminalSession copy(String tid) {
        if (notifications == null || !notifications.listening()) return null;
        Cached c = cache.get(tid);
        if (c == null) return null;
        if (System.nanoTime() - c.expiresAt() >= 0) {
            cache.remove(tid, c);
            return null;
        }
        hits.increment();
        return c.session();
    }

    /** The session read from PostgreSQL whether or not this node has a copy (which it replaces). */
    public Future<Optional<TerminalSession>> reload(String tid) {
        invalidate(tid);
        return load(tid);
    }

    private Future<Optional<TerminalSession>> load(String tid) {
        loads.increment();
        int stripe = stripe(tid);
        long generation = generations.get(stripe);
        long epochAtStart = epoch.get();
        return pool.preparedQuery("select t.tid, t.mid, t.sn, t.key_scheme, t.mac_algorithm, t.status,"
                        + " s.batch, s.signed_on_date, s.psam_card,"
                        + " (select lmk_value from key_record k where k.owner_type = 'TERMINAL' and k.owner_id = t.sn"
                        + "   and k.key_type = 'PIK' and k.key_index = $2 and k.state = 'ACTIVE') as pik,"
                        + " (select lmk_value from key_record k where k.owner_type = 'TERMINAL' and k.owner_id = t.sn"
                        + "   and k.key_type = 'MAK' and k.key_index = $2 and k.state = 'ACTIVE') as mak,"
                        + " case when s.grace_until > now() then s.grace_pik end as grace_pik,"
                        + " case when s.grace_until > now() then s.grace_mak end as grace_mak,"
                        + " case when s.grace_until > now() then extract(epoch from s.grace_until - now())::float8 end as grace_left,"
                        + " coalesce(s.keys_used, true) as keys_used, t.terminal_info, t.key_algorithm"
                        + " from terminal t left join posp_terminal_state s on s.tid = t.tid where t.tid = $1")
                .execute(Tuple.of(tid, (short) keyIndex))
                .map(rows -> {
                    if (rows.size() == 0) return Optional.<TerminalSession>empty();
                    Row r = rows.iterator().next();
                    TerminalSession session = map(r);
                    if (tidBySn.size() < MAX_CACHED) tidBySn.put(session.sn(), session.tid());
                    Double graceLeft = r.getDouble("grace_left");
                    long expiresAt = System.nanoTime() + (graceLeft == null ? MAX_AGE_NANOS
                            : Math.min(MAX_AGE_NANOS, (long) (graceLeft * 1e9)));
                    // kept only if nothing changed while it was read, and while changes are heard
                    if (notifications != null && notifications.listening() && generations.get(stripe) == generation
                            && epoch.get() == epochAtStart && cache.size() < MAX_CACHED) {
                        cache.put(tid, new Cached(session, expiresAt));
                    }
                    return Optional.of(session);
                });
    }

    /**
     * The terminal's ACTIVE track data key (from its last 004 sign-on), read only for a message
     * with encrypted tracks; null when it has none. The TDK has no grace set (docs/protocol-choices.md).
     */
    public Future<LmkKey> tdk(String sn) {
        return keys.active(KeyRecord.OwnerType.TERMINAL, sn, "TDK", keyIndex)
                .map(k -> k.map(r -> LmkKey.parse(r.lmkValue())).orElse(null));
    }

    /**
     * Stores a sign-on in one statement (one implicit transaction, durable on commit like the
     * transaction of seven to nine statements it replaces): each key as the next ACTIVE version of
     * its slot (the previous one retired), the terminal's batch and business day, field 46 when it
     * changed ({@code terminalInfo}, null when not), and the audit record ({@code pos.sign_on} by
     * {@code actor} with {@code auditDetail}): no key version without its audit row. The keys the
     * terminal last proved it holds become the grace set first: the ACTIVE PIK and MAK, valid
     * until now + grace, when the terminal has used them (or no grace is open). When they were
     * never used, an open grace set stays as it is: two sign-ons by a stranger in a row must not
     * push out the keys the terminal really holds. Without a grace period, any grace set is
     * dropped. Two sign-ons of one terminal at once: the later one's versions collide with the
     * earlier's (unique constraints) and it is stored again once, on top of them.
     */
    public Future<Void> saveSignOn(Terminal terminal, String batch, LocalDate businessDay, String mode,
            String psamCard, List<IssuedKey> issued, String terminalInfo, String actor, JsonObject auditDetail) {
        String[] types = new String[issued.size()];
        String[] values = new String[issued.size()];
        String[] kcvs = new String[issued.size()];
        for (int i = 0; i < issued.size(); i++) {
            types[i] = issued.get(i).keyType();
            values[i] = issued.get(i).underLmk().toWire();
            kcvs[i] = issued.get(i).kcvHex();
        }
        Tuple params = Tuple.tuple();
        params.addString(terminal.tid()).addString(terminal.sn()).addShort((short) keyIndex)
                .addArrayOfString(types).addArrayOfString(values).addArrayOfString(kcvs)
                .addString(batch).addLocalDate(businessDay).addString(mode).addString(terminal.keyScheme().name())
                .addString(psamCard).addString(terminalInfo).addString(actor).addValue(auditDetail)
                .addDouble((double) signOnGrace.toSeconds());
        Future<Void> saved = pool.preparedQuery(signOnSql).execute(params).<Void>mapEmpty()
                .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
                        ? pool.preparedQuery(signOnSql).execute(params).mapEmpty()
                        : Future.failedFuture(e));
        return saved.andThen(ar -> invalidate(terminal.tid()));
    }

    /**
     * The sign-on statement: the ACTIVE PIK/MAK as they were ({@code cur}, the statement's
     * snapshot), retired before the new versions are inserted (the insert's condition reads
     * {@code retired} first, so the one-ACTIVE-per-slot index finds the old row gone), the state
     * row with the grace set, field 46 and the audit row.
     */
    private static String signOnSql(Duration grace) {
        String keep = "(posp_terminal_state.keys_used or posp_terminal_state.grace_until is null"
                + " or posp_terminal_state.grace_until <= now())";
        String graceSet = grace.isZero()
                ? ", grace_pik = null, grace_mak = null, grace_until = null"
                : ", grace_pik = case when " + keep + " then (select lmk_value from cur where key_type = 'PIK')"
                        + " else posp_terminal_state.grace_pik end"
                        + ", grace_mak = case when " + keep + " then (select lmk_value from cur where key_type = 'MAK')"
                        + " else posp_terminal_state.grace_mak end"
                        + ", grace_until = case when " + keep + " then now() + make_interval(secs => $15::float8)"
                        + " else posp_terminal_state.grace_until end";
        return "with cur as (select key_type, lmk_value from key_record where owner_type = 'TERMINAL' and owner_id = $2"
                + "   and key_index = $3 and state = 'ACTIVE' and key_type in ('PIK', 'MAK')),"
                + " retired as (update key_record set state = 'RETIRED', retired_at = now() where owner_type = 'TERMINAL'"
                + "   and owner_id = $2 and key_index = $3 and state = 'ACTIVE' and key_type = any($4::varchar[]) returning id),"
                + " stored as (insert into key_record (owner_type, owner_id, key_type, key_index, version, lmk_value, kcv, state,"
                + "   activated_at)"
                + "   select 'TERMINAL', $2, k.key_type, $3, coalesce((select max(version) from key_record r"
                + "     where r.owner_type = 'TERMINAL' and r.owner_id = $2 and r.key_type = k.key_type and r.key_index = $3), 0) + 1,"
                + "     k.lmk_value, k.kcv, 'ACTIVE', now()"
                + "   from unnest($4::varchar[], $5::varchar[], $6::varchar[]) as k(key_type, lmk_value, kcv)"
                + "   where (select count(*) from retired) >= 0 returning id),"
                + " state as (insert into posp_terminal_state (tid, sn, batch, signed_on_date, signed_on_at, sign_on_mode,"
                + "   key_source, psam_card, keys_used) values ($1, $2, $7, $8, now(), $9, $10, $11, false)"
                + "   on conflict (tid) do update set sn = excluded.sn, batch = excluded.batch,"
                + "   signed_on_date = excluded.signed_on_date, signed_on_at = now(), sign_on_mode = excluded.sign_on_mode,"
                + "   key_source = excluded.key_source, psam_card = excluded.psam_card, keys_used = false" + graceSet
                + "   returning tid),"
                + " info as (update terminal set terminal_info = $12::varchar, terminal_info_at = now()"
                + "   where tid = $1 and $12::varchar is not null and terminal_info is distinct from $12::varchar returning tid),"
                + " audit as (insert into audit_log (actor, action, subject, result, detail)"
                + "   values ($13, 'pos.sign_on', $1, 'OK', $14) returning id)"
                + " select (select count(*) from stored) as stored, (select count(*) from state) as state,"
                + " (select count(*) from info) as info, (select count(*) from audit) as audit"
                + (grace.isZero() ? ", $15::float8 as grace" : "");
    }

    /**
     * A request verified under the ACTIVE keys: the terminal holds them, so the grace set is
     * retired now rather than at its deadline. Written once per sign-on (only while keys_used is false).
     */
    public Future<Void> keysUsed(String tid) {
        return pool.preparedQuery("update posp_terminal_state set keys_used = true, grace_pik = null, grace_mak = null,"
                        + " grace_until = null where tid = $1 and not keys_used")
                .execute(Tuple.of(tid))
                .<Void>mapEmpty()
                .andThen(ar -> invalidate(tid));
    }

    /** Field 46 of a MACed request, when it differs from what the terminal row holds. */
    public Future<Void> recordTerminalInfo(String tid, String terminalInfo) {
        return TerminalRepository.recordTerminalInfo(pool, tid, terminalInfo).andThen(ar -> invalidate(tid));
    }

    /** After a settlement the terminal continues with the next batch number. */
    public Future<Void> advanceBatch(String tid, String settledBatch) {
        String next = String.format("%06d", (Integer.parseInt(settledBatch) + 1) % 1_000_000);
        return pool.preparedQuery("update posp_terminal_state set batch = $2 where tid = $1 and batch = $3")
                .execute(Tuple.of(tid, next, settledBatch))
                .<Void>mapEmpty()
                .andThen(ar -> invalidate(tid));
    }

    private static TerminalSession map(Row r) {
        String pik = r.getString("pik");
        String mak = r.getString("mak");
        String gracePik = r.getString("grace_pik");
        String graceMak = r.getString("grace_mak");
        return new TerminalSession(
                r.getString("tid"),
                r.getString("mid"),
                r.getString("sn"),
                Terminal.KeyScheme.valueOf(r.getString("key_scheme")),
                Terminal.MacAlgorithm.valueOf(r.getString("mac_algorithm")),
                Terminal.Status.valueOf(r.getString("status")),
                r.getString("batch"),
                r.getLocalDate("signed_on_date"),
                r.getString("psam_card"),
                pik == null ? null : LmkKey.parse(pik),
                mak == null ? null : LmkKey.parse(mak),
                gracePik == null ? null : LmkKey.parse(gracePik),
                graceMak == null ? null : LmkKey.parse(graceMak),
                r.getBoolean("keys_used"),
                r.getString("terminal_info"),
                Terminal.KeyAlgorithm.valueOf(r.getString("key_algorithm")));
    }
}
