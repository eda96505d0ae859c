package dev.posgate.gateway.posp.wire;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.posgate.gateway.posp.store.Journal;
import dev.posgate.gateway.posp.store.JournalStatus;
import dev.posgate.gateway.posp.store.TransactionJournal;

/**
 * {@link Journal} in a map, with {@link TransactionJournal}'s rules: one row per (tid, batch,
 * STAN, MTI), a 0400 whose attempt FAILED opened again, closing clears the owed reversal. Every
 * write is appended to {@code events}, so a test sees the order of the steps.
 */
final class InMemoryJournal implements Journal {
    record Key(String tid, String batch, String stan, String mti) {}

    static final class Row {
        long id;
        Long origId;
        TransactionJournal.Kind kind;
        long amount;
        String panMasked;
        String origStan;
        JournalStatus status;
        String code;
        String rrn;
        String authCode;
        byte[] reversal;
        long refunded;
        /** The packed upstream 0220 of an accepted advice. */
        byte[] advice;
    }

    final Map<Key, Row> rows = new LinkedHashMap<>();
    final List<String> events;
    /** Closes to refuse before one is taken, as a database that went away and came back. */
    int closesToFail;

    InMemoryJournal(List<String> events) {
        this.events = events;
    }

    InMemoryJournal() {
        this(new ArrayList<>());
    }

    Row row(String tid, String batch, String stan, String mti) {
        return rows.get(new Key(tid, batch, stan, mti));
    }

    @Override
    public Future<Boolean> open(String tid, String batch, String stan, String mti, TransactionJournal.Kind kind, long amount,
            String panMasked, String origStan, byte[] reversal) {
        Key key = new Key(tid, batch, stan, mti);
        Row existing = rows.get(key);
        if (existing != null && !((mti.equals("0400") || mti.equals("0220")) && existing.status == JournalStatus.FAILED)) {
            return Future.succeededFuture(false);
        }
        Row r = existing != null ? existing : new Row();
        if (existing == null) {
            r.id = rows.size() + 1;
            r.kind = kind;
            r.amount = amount;
            r.panMasked = panMasked;
            r.origStan = origStan;
        }
        r.status = JournalStatus.PENDING;
        r.code = null;
        r.reversal = reversal;
        rows.put(key, r);
        events.add("journal open " + mti + " " + stan);
        return Future.succeededFuture(true);
    }

    @Override
    public Future<Void> close(String tid, String batch, String stan, String mti, JournalStatus status, String code, String rrn,
            String authCode) {
        if (closesToFail > 0) {
            closesToFail--;
            events.add("journal close refused " + mti + " " + stan);
            return Future.failedFuture(new IllegalStateException("database unavailable"));
        }
        Row r = row(tid, batch, stan, mti);
        r.status = status;
        r.code = code;
        r.rrn = rrn;
        r.authCode = authCode;
        r.reversal = null;
        events.add("journal close " + mti + " " + stan + " " + status + " " + code);
        return Future.succeededFuture();
    }

    @Override
    public Future<TransactionJournal.Outcome> outcome(String tid, String batch, String stan, String mti) {
        Row r = row(tid, batch, stan, mti);
        return Future.succeededFuture(new TransactionJournal.Outcome(r.status, r.code));
    }

    @Override
    public Future<JournalStatus> statusOf(String tid, String batch, String stan) {
        Row r = row(tid, batch, stan, "0200");
        return Future.succeededFuture(r == null ? null : r.status);
    }

    @Override
    public Future<Void> markReversed(String tid, String batch, String stan) {
        Row r = row(tid, batch, stan, "0200");
        if (r == null) r = row(tid, batch, stan, "0100");
        if (r != null) {
            JournalStatus was = r.status;
            r.status = JournalStatus.REVERSED;
            r.reversal = null;
            if (was == JournalStatus.APPROVED && r.origId != null) {
                Row orig = byId(r.origId);
                switch (r.kind) {
                    case PREAUTH_CANCEL -> move(orig, JournalStatus.CANCELLED, JournalStatus.APPROVED);
                    case COMPLETION -> move(orig, JournalStatus.COMPLETED, JournalStatus.APPROVED);
                    case COMPLETION_VOID -> move(byId(orig.origId), JournalStatus.APPROVED, JournalStatus.COMPLETED);
                    default -> { }
                }
            }
        }
        events.add("journal reversed " + (r == null ? "0200" : "0100/0200") + " " + stan);
        return Future.succeededFuture();
    }

    private static void move(Row r, JournalStatus from, JournalStatus to) {
        if (r != null && r.status == from) r.status = to;
    }

    Row byId(long id) {
        return rows.values().stream().filter(r -> r.id == id).findFirst().orElse(null);
    }

    @Override
    public Future<TransactionJournal.Original> original(String tid, String batch, String stan) {
        Row r = row(tid, batch, stan, "0200");
        if (r == null) r = row(tid, batch, stan, "0100");
        if (r == null) r = row(tid, batch, stan, "0220");
        return Future.succeededFuture(r == null ? null
                : new TransactionJournal.Original(r.id, r.kind, r.status, r.amount, r.authCode, r.origId, r.rrn, r.refunded));
    }

    @Override
    public Future<Boolean> claim(String tid, String batch, String stan, String mti, TransactionJournal.Kind kind, long originalId,
            long targetId, JournalStatus from, JournalStatus to) {
        Row target = byId(targetId);
        if (target == null || target.status != from) return Future.succeededFuture(false);
        if (kind == TransactionJournal.Kind.COMPLETION_VOID) {
            boolean later = rows.values().stream().anyMatch(o -> o.origId != null && o.origId == targetId
                    && o.kind == TransactionJournal.Kind.COMPLETION && o.id > originalId
                    && (o.status == JournalStatus.PENDING || o.status == JournalStatus.APPROVED));
            boolean voided = rows.values().stream().anyMatch(v -> v.origId != null && v.origId == originalId
                    && v.kind == TransactionJournal.Kind.COMPLETION_VOID
                    && (v.status == JournalStatus.PENDING || v.status == JournalStatus.APPROVED));
            if (later || voided) return Future.succeededFuture(false);
        }
        target.status = to;
        row(tid, batch, stan, mti).origId = originalId;
        events.add("journal claim " + targetId + " " + from + "->" + to);
        return Future.succeededFuture(true);
    }

    @Override
    public Future<Void> release(long targetId, JournalStatus from, JournalStatus to) {
        move(byId(targetId), to, from);
        events.add("journal release " + targetId + " " + to + "->" + from);
        return Future.succeededFuture();
    }

    /** {@link TransactionJournal#accept}'s rules; {@code refundsToRace} lets a test take what is left first. */
    @Override
    public Future<Boolean> accept(String tid, String batch, String stan, String mti, TransactionJournal.Effect effect, Long originalId,
            long amount, byte[] advice) {
        Row r = row(tid, batch, stan, mti);
        if (r == null || r.status != JournalStatus.PENDING) return Future.succeededFuture(false);
        Row orig = originalId == null ? null : byId(originalId);
        switch (effect) {
            case REFUND -> {
                if (beforeAccept != null) beforeAccept.run();
                Key ok = keyOf(orig);
                boolean voided = rows.entrySet().stream().anyMatch(e -> e.getValue().kind == TransactionJournal.Kind.VOID
                        && e.getKey().tid().equals(ok.tid()) && e.getKey().batch().equals(ok.batch()) && ok.stan().equals(e.getValue().origStan)
                        && (e.getValue().status == JournalStatus.PENDING || e.getValue().status == JournalStatus.APPROVED));
                if (orig.status != JournalStatus.APPROVED || orig.refunded + amount > orig.amount || voided) {
                    events.add("journal accept refused " + mti + " " + stan);
                    return Future.succeededFuture(false);
                }
                orig.refunded += amount;
            }
            case ADJUST -> {
                if (orig.status != JournalStatus.APPROVED) return Future.succeededFuture(false);
                orig.status = JournalStatus.ADJUSTED;
            }
            case NONE -> { }
        }
        r.status = JournalStatus.APPROVED;
        r.code = "00";
        r.origId = originalId;
        r.advice = advice;
        events.add("journal accept " + mti + " " + stan + " " + effect);
        return Future.succeededFuture(true);
    }

    @Override
    public Future<Long> refundedOf(String tid, String batch, String stan) {
        Row r = row(tid, batch, stan, "0200");
        return Future.succeededFuture(r == null ? null : r.refunded);
    }

    /** Runs just before a refund's acceptance is decided (a concurrent refund in a test). */
    Runnable beforeAccept;

    private Key keyOf(Row r) {
        return rows.entrySet().stream().filter(e -> e.getValue() == r).map(Map.Entry::getKey).findFirst().orElseThrow();
    }
}
