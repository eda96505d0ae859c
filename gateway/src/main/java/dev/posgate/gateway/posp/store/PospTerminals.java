package dev.posgate.gateway.posp.store;

import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.hsm.LmkKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sign-on state in PostgreSQL: working keys as versioned key_records (owner TERMINAL, the
 * terminal's SN, types PIK/MAK/TDK, the TMK's key index) and the posp_terminal_state row with the
 * sign-on grace set (V7; docs/posp.md, "Sign-on grace").
 */
public final class PospTerminals {
    private final Pool pool;
    private final KeyRepository keys;
    private final int keyIndex;
    private final Duration signOnGrace;

    /** {@code signOnGrace}: how long the keys a terminal used stay valid after a sign-on (zero: not at all). */
    public PospTerminals(Pool pool, KeyRepository keys, int keyIndex, Duration signOnGrace) {
        this.pool = pool;
        this.keys = keys;
        this.keyIndex = keyIndex;
        this.signOnGrace = signOnGrace;
    }

    /** One issued working key, to store under the LMK. */
    public record IssuedKey(String keyType, LmkKey underLmk, String kcvHex) {}

    /** The terminal with its sign-on state and active PIK/MAK, or empty when the TID is not registered. */
    public Future<Optional<TerminalSession>> session(String tid) {
        return pool.preparedQuery("select t.tid, t.mid, t.sn, t.key_scheme, t.mac_algorithm, t.status,"
                        + " s.batch, s.signed_on_date, s.psam_card,"
                        + " (select lmk_value from key_record k where k.owner_type = 'TERMINAL' and k.owner_id = t.sn"
                        + "   and k.key_type = 'PIK' and k.key_index = $2 and k.state = 'ACTIVE') as pik,"
                        + " (select lmk_value from key_record k where k.owner_type = 'TERMINAL' and k.owner_id = t.sn"
                        + "   and k.key_type = 'MAK' and k.key_index = $2 and k.state = 'ACTIVE') as mak,"
                        + " case when s.grace_until > now() then s.grace_pik end as grace_pik,"
                        + " case when s.grace_until > now() then s.grace_mak end as grace_mak,"
                        + " coalesce(s.keys_used, true) as keys_used, t.terminal_info, t.key_algorithm"
                        + " from terminal t left join posp_terminal_state s on s.tid = t.tid where t.tid = $1")
                .execute(Tuple.of(tid, (short) keyIndex))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
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
     * Stores a sign-on in one transaction: each key as the next ACTIVE version of its slot (the
     * previous one retired) and the terminal's batch and business day, with {@code auditRecord}
     * in the same transaction (no key version without its audit row). The keys the terminal last
     * proved it holds become the grace set first ({@link #keepGraceKeys}).
     */
    public Future<Void> saveSignOn(Terminal terminal, String batch, LocalDate businessDay, String mode,
            String psamCard, List<IssuedKey> issued, Function<SqlClient, Future<Void>> auditRecord) {
        return pool.withTransaction(tx -> {
            Future<?> chain = keepGraceKeys(tx, terminal.tid(), terminal.sn());
            for (IssuedKey k : issued) {
                chain = chain.compose(v -> keys.store(tx, KeyRecord.OwnerType.TERMINAL, terminal.sn(), k.keyType(),
                        keyIndex, k.underLmk().toWire(), k.kcvHex(), KeyRecord.State.ACTIVE));
            }
            return chain.compose(v -> upsertState(tx, terminal, batch, businessDay, mode, psamCard))
                    .compose(v -> auditRecord.apply(tx));
        });
    }

    /**
     * Before a sign-on replaces the keys: the ACTIVE PIK and MAK become the grace set, valid until
     * now + grace, when the terminal has used them (or no grace is open). When they were never
     * used, an open grace set stays as it is: two sign-ons by a stranger in a row must not push
     * out the keys the terminal really holds. Without a grace period, any grace set is dropped.
     */
    private Future<Void> keepGraceKeys(SqlClient tx, String tid, String sn) {
        if (signOnGrace.isZero()) {
            return tx.preparedQuery("update posp_terminal_state set grace_pik = null, grace_mak = null, grace_until = null"
                            + " where tid = $1")
                    .execute(Tuple.of(tid)).mapEmpty();
        }
        return tx.preparedQuery("update posp_terminal_state s set"
                        + " grace_pik = (select lmk_value from key_record k where k.owner_type = 'TERMINAL' and k.owner_id = $2"
                        + "   and k.key_type = 'PIK' and k.key_index = $3 and k.state = 'ACTIVE'),"
                        + " grace_mak = (select lmk_value from key_record k where k.owner_type = 'TERMINAL' and k.owner_id = $2"
                        + "   and k.key_type = 'MAK' and k.key_index = $3 and k.state = 'ACTIVE'),"
                        + " grace_until = now() + make_interval(secs => $4)"
                        + " where s.tid = $1 and (s.keys_used or s.grace_until is null or s.grace_until <= now())")
                .execute(Tuple.of(tid, sn, (short) keyIndex, (double) signOnGrace.toSeconds()))
                .mapEmpty();
    }

    /**
     * A request verified under the ACTIVE keys: the terminal holds them, so the grace set is
     * retired now rather than at its deadline. Written once per sign-on (only while keys_used is false).
     */
    public Future<Void> keysUsed(String tid) {
        return pool.preparedQuery("update posp_terminal_state set keys_used = true, grace_pik = null, grace_mak = null,"
                        + " grace_until = null where tid = $1 and not keys_used")
                .execute(Tuple.of(tid))
                .mapEmpty();
    }

    /** Field 46 of a MACed request, when it differs from what the terminal row holds. */
    public Future<Void> recordTerminalInfo(String tid, String terminalInfo) {
        return TerminalRepository.recordTerminalInfo(pool, tid, terminalInfo);
    }

    private static Future<Void> upsertState(SqlClient tx, Terminal t, String batch, LocalDate day, String mode, String psamCard) {
        return tx.preparedQuery("insert into posp_terminal_state (tid, sn, batch, signed_on_date, signed_on_at, sign_on_mode,"
                        + " key_source, psam_card, keys_used) values ($1, $2, $3, $4, now(), $5, $6, $7, false)"
                        + " on conflict (tid) do update set sn = excluded.sn, batch = excluded.batch,"
                        + " signed_on_date = excluded.signed_on_date, signed_on_at = now(),"
                        + " sign_on_mode = excluded.sign_on_mode, key_source = excluded.key_source, psam_card = excluded.psam_card,"
                        + " keys_used = false")
                .execute(Tuple.of(t.tid(), t.sn(), batch, day, mode, t.keyScheme().name(), psamCard))
                .mapEmpty();
    }

    /** After a settlement the terminal continues with the next batch number. */
    public Future<Void> advanceBatch(String tid, String settledBatch) {
        String next = String.format("%06d", (Integer.parseInt(settledBatch) + 1) % 1_000_000);
        return pool.preparedQuery("update posp_terminal_state set batch = $2 where tid = $1 and batch = $3")
                .execute(Tuple.of(tid, next, settledBatch))
                .mapEmpty();
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
