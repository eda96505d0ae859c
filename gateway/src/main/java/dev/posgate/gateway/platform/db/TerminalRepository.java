package dev.posgate.gateway.platform.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Terminals in PostgreSQL. Registration and its audit record commit together. */
public final class TerminalRepository {
    private static final String COLUMNS =
            "id, tid, mid, sn, sn_pinpad, vendor, model, key_scheme, mac_algorithm, mak_length, status, created_at, terminal_info, key_algorithm";

    private final Pool pool;
    private final AuditLog audit;

    public TerminalRepository(Pool pool, AuditLog audit) {
        this.pool = pool;
        this.audit = audit;
    }

    private final List<java.util.function.Consumer<String>> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Told the TID of a terminal an operator changed through this repository, once the change
     * committed (a copy of the terminal held in memory on this node is dropped at once; other
     * nodes hear of it by NOTIFY, V19).
     */
    public void onChange(java.util.function.Consumer<String> listener) {
        changeListeners.add(listener);
    }

    /** Tells this node's {@link #onChange} listeners that {@code tid} changed (a write made elsewhere, e.g. a sign-off, committed). */
    public void changedHere(String tid) {
        changeListeners.forEach(l -> l.accept(tid));
    }

    private <T> Future<T> changed(String tid, Future<T> change) {
        return change.andThen(ar -> changedHere(tid));
    }

    /** Thrown when the TID or SN is already registered. */
    public static final class DuplicateTerminalException extends RuntimeException {
        public DuplicateTerminalException(String message) {
            super(message);
        }
    }

    public Future<Terminal> register(NewTerminal t, String actor) {
        return pool.withTransaction(tx -> tx
                        .preparedQuery("insert into terminal (tid, mid, sn, sn_pinpad, vendor, model, key_scheme, mac_algorithm, mak_length,"
                                + " key_algorithm) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning " + COLUMNS)
                        .execute(Tuple.from(new Object[] {t.tid(), t.mid(), t.sn(), emptyToNull(t.snPinpad()), t.vendor(),
                                t.model(), t.keyScheme().name(), t.macAlgorithm().name(), t.makLength().name(), t.keyAlgorithm().name()}))
                        .map(rows -> map(rows.iterator().next()))
                        .compose(saved -> audit.append(tx, actor, "terminal.register", saved.tid(), "OK",
                                        new JsonObject().put("sn", saved.sn()).put("keyScheme", saved.keyScheme().name())
                                                .put("makLength", saved.makLength().name())
                                                .put("keyAlgorithm", saved.keyAlgorithm().name()))
                                .map(saved)))
                .recover(e -> {
                    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                        return Future.failedFuture(new DuplicateTerminalException("terminal id or serial number already registered"));
                    }
                    return Future.failedFuture(e);
                });
    }

    /**
     * An operator changes the terminal's MAK length profile: the new value and its audit record
     * (with the value it replaces) commit together. Empty when the TID is not registered. The
     * terminal's next 003/004 sign-on issues the MAK of the new length; the MAK it holds stays
     * valid until then.
     */
    public Future<Optional<Terminal>> updateMakLength(String tid, Terminal.MakLength makLength, String actor) {
        return changed(tid, pool.withTransaction(tx -> tx
                .preparedQuery("select mak_length from terminal where tid = $1 for update")
                .execute(Tuple.of(tid))
                .compose(before -> {
                    if (before.size() == 0) return Future.succeededFuture(Optional.<Terminal>empty());
                    String previous = before.iterator().next().getString(0);
                    return tx.preparedQuery("update terminal set mak_length = $2, updated_at = now() where tid = $1 returning " + COLUMNS)
                            .execute(Tuple.of(tid, makLength.name()))
                            .map(rows -> map(rows.iterator().next()))
                            .compose(saved -> audit.append(tx, actor, "terminal.update", tid, "OK", new JsonObject()
                                            .put("makLength", makLength.name()).put("previousMakLength", previous))
                                    .map(Optional.of(saved)));
                })));
    }

    /**
     * An operator disables ({@code SUSPENDED}) or enables ({@code ACTIVE}) a terminal: the new
     * status and its audit record ({@code terminal.disable} / {@code terminal.enable}, with the
     * status it replaces) commit together. A disabled terminal's sign-ons and financial messages
     * get 58 and its TMS handshake is refused; its keys and registration are kept, so enabling it
     * restores service as it was. Unchanged status: no change, no audit. A RETIRED terminal stays
     * retired ({@link ProfileConflictException}). Empty when the TID is not registered.
     */
    public Future<Optional<Terminal>> updateStatus(String tid, Terminal.Status status, String actor) {
        if (status == Terminal.Status.RETIRED) throw new IllegalArgumentException("retiring is not an operator status change");
        return changed(tid, pool.withTransaction(tx -> tx
                .preparedQuery("select status from terminal where tid = $1 for update")
                .execute(Tuple.of(tid))
                .compose(before -> {
                    if (before.size() == 0) return Future.succeededFuture(Optional.<Terminal>empty());
                    String previous = before.iterator().next().getString(0);
                    if (previous.equals(status.name())) return findOne(tx, "tid", tid);
                    if (previous.equals(Terminal.Status.RETIRED.name())) {
                        return Future.failedFuture(new ProfileConflictException("terminal " + tid + " is RETIRED"));
                    }
                    String action = status == Terminal.Status.ACTIVE ? "terminal.enable" : "terminal.disable";
                    return tx.preparedQuery("update terminal set status = $2, updated_at = now() where tid = $1 returning " + COLUMNS)
                            .execute(Tuple.of(tid, status.name()))
                            .map(rows -> map(rows.iterator().next()))
                            .compose(saved -> audit.append(tx, actor, action, tid, "OK", new JsonObject()
                                            .put("status", status.name()).put("previousStatus", previous))
                                    .map(Optional.of(saved)));
                })));
    }

    /** Refused: SM4 for a PSAM terminal (the PSAM card keys are TDES). */
    public static final class ProfileConflictException extends RuntimeException {
        public ProfileConflictException(String message) {
            super(message);
        }
    }

    /** The keys a change of key algorithm retires: the TMK and the POSP working keys (all of the old algorithm). */
    public static final List<String> ALGORITHM_BOUND_KEYS = List.of("TMK", "PIK", "MAK", "TDK");

    /**
     * An operator changes the terminal's key algorithm (TDES ↔ SM4). In one transaction with its
     * audit record ({@code keyAlgorithm}, {@code previousKeyAlgorithm}, {@code retiredKeys}): the
     * terminal's ACTIVE and PENDING TMK, PIK, MAK and TDK are RETIRED (they are keys of the other
     * algorithm) and its POSP session ends (posp_terminal_state row deleted, as a sign-off does),
     * so it must get a new TMK (ceremony or download) and sign on again. Unchanged value: no
     * change, no audit. Empty when the TID is not registered.
     */
    public Future<Optional<Terminal>> updateKeyAlgorithm(String tid, Terminal.KeyAlgorithm algorithm, String actor) {
        return changed(tid, pool.withTransaction(tx -> tx
                .preparedQuery("select key_algorithm, key_scheme, sn from terminal where tid = $1 for update")
                .execute(Tuple.of(tid))
                .compose(before -> {
                    if (before.size() == 0) return Future.succeededFuture(Optional.<Terminal>empty());
                    Row row = before.iterator().next();
                    String previous = row.getString("key_algorithm");
                    String sn = row.getString("sn");
                    if (previous.equals(algorithm.name())) return findOne(tx, "tid", tid);
                    if (algorithm == Terminal.KeyAlgorithm.SM4 && "PSAM".equals(row.getString("key_scheme"))) {
                        return Future.failedFuture(new ProfileConflictException("keyAlgorithm SM4 needs keyScheme TMK (no SM4 PSAM)"));
                    }
                    return tx.preparedQuery("update key_record set state = 'RETIRED', retired_at = now()"
                                    + " where owner_type = 'TERMINAL' and owner_id = $1 and key_type = any($2)"
                                    + " and state in ('ACTIVE', 'PENDING') returning key_type")
                            .execute(Tuple.tuple().addString(sn).addArrayOfString(ALGORITHM_BOUND_KEYS.toArray(new String[0])))
                            .compose(retired -> {
                                JsonArray kinds = new JsonArray();
                                retired.forEach(r -> { if (!kinds.contains(r.getString(0))) kinds.add(r.getString(0)); });
                                return tx.preparedQuery("delete from posp_terminal_state where tid = $1").execute(Tuple.of(tid))
                                        .compose(v -> tx.preparedQuery("update terminal set key_algorithm = $2, updated_at = now()"
                                                        + " where tid = $1 returning " + COLUMNS)
                                                .execute(Tuple.of(tid, algorithm.name())))
                                        .map(rows -> map(rows.iterator().next()))
                                        .compose(saved -> audit.append(tx, actor, "terminal.update", tid, "OK", new JsonObject()
                                                        .put("keyAlgorithm", algorithm.name()).put("previousKeyAlgorithm", previous)
                                                        .put("retiredKeys", kinds).put("sessionEnded", true))
                                                .map(Optional.of(saved)));
                            });
                })));
    }

    /**
     * Field 46 as the terminal last sent it. Written only when it differs from the stored value
     * (callers compare with the value they read; the condition keeps a race from writing twice).
     */
    public static Future<Void> recordTerminalInfo(SqlClient client, String tid, String terminalInfo) {
        return client.preparedQuery("update terminal set terminal_info = $2, terminal_info_at = now()"
                        + " where tid = $1 and terminal_info is distinct from $2")
                .execute(Tuple.of(tid, terminalInfo))
                .mapEmpty();
    }

    public Future<Optional<Terminal>> findByTid(String tid) {
        return findOne(pool, "tid", tid);
    }

    /** A terminal with the LMK form of one of its ACTIVE keys (null when it has none). */
    public record WithKey(Terminal terminal, String activeKeyLmk) {}

    /**
     * The terminal and its ACTIVE key of {@code keyType} at {@code keyIndex} (e.g. the TMK a
     * sign-on's keys are issued under), in one query.
     */
    public Future<Optional<WithKey>> findByTidWithActiveKey(String tid, String keyType, int keyIndex) {
        return pool.preparedQuery("select " + COLUMNS + ", (select k.lmk_value from key_record k where k.owner_type = 'TERMINAL'"
                        + " and k.owner_id = terminal.sn and k.key_type = $2 and k.key_index = $3 and k.state = 'ACTIVE'"
                        + " order by k.version desc limit 1) as active_key from terminal where tid = $1")
                .execute(Tuple.of(tid, keyType, (short) keyIndex))
                .map(rows -> {
                    if (rows.size() == 0) return Optional.<WithKey>empty();
                    Row r = rows.iterator().next();
                    return Optional.of(new WithKey(map(r), r.getString("active_key")));
                });
    }

    public Future<Optional<Terminal>> findBySn(String sn) {
        return findOne(pool, "sn", sn);
    }

    public Future<List<Terminal>> list(int limit, long afterId) {
        return pool.preparedQuery("select " + COLUMNS + " from terminal where id > $1 order by id limit $2")
                .execute(Tuple.of(afterId, limit))
                .map(rows -> {
                    List<Terminal> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    private static Future<Optional<Terminal>> findOne(SqlClient client, String column, String value) {
        return client.preparedQuery("select " + COLUMNS + " from terminal where " + column + " = $1")
                .execute(Tuple.of(value))
                .map(rows -> rows.size() == 0 ? Optional.<Terminal>empty() : Optional.of(map(rows.iterator().next())));
    }

    private static Terminal map(Row r) {
        return new Terminal(
                r.getLong("id"),
                r.getString("tid"),
                r.getString("mid"),
                r.getString("sn"),
                r.getString("sn_pinpad"),
                r.getString("vendor"),
                r.getString("model"),
                Terminal.KeyScheme.valueOf(r.getString("key_scheme")),
                Terminal.MacAlgorithm.valueOf(r.getString("mac_algorithm")),
                Terminal.MakLength.valueOf(r.getString("mak_length")),
                Terminal.Status.valueOf(r.getString("status")),
                r.getOffsetDateTime("created_at"),
                r.getString("terminal_info"),
                Terminal.KeyAlgorithm.valueOf(r.getString("key_algorithm")));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
