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
        TransactionJournal.Kind kind;
        long amount;
        String panMasked;
        String origStan;
        JournalStatus status;
        String code;
        String rrn;
        String authCode;
        byte[] reversal;
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
        if (existing != null && !(mti.equals("0400") && existing.status == JournalStatus.FAILED)) {
            return Future.succeededFuture(false);
        }
        Row r = existing != null ? existing : new Row();
        if (existing == null) {
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
        if (r != null) {
            r.status = JournalStatus.REVERSED;
            r.reversal = null;
        }
        events.add("journal reversed 0200 " + stan);
        return Future.succeededFuture();
    }
}
