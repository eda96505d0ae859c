package dev.posgate.gateway.posp.store;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The journal as the STAN replay window, over real PostgreSQL. */
class TransactionJournalIT {

    @Test
    void aMessageIsOpenedOnceExceptARepeatedReversalWhoseAttemptFailed() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            TransactionJournal journal = new TransactionJournal(gw.app().database().pool());
            TransactionJournal.Kind purchase = TransactionJournal.Kind.PURCHASE;
            TransactionJournal.Kind reversal = TransactionJournal.Kind.REVERSAL;
            assertTrue(await(journal.open("TJ000001", "000001", "000001", "0200", purchase, 100, null, null, null)));
            await(journal.close("TJ000001", "000001", "000001", "0200", JournalStatus.FAILED, "96", null, null));
            assertFalse(await(journal.open("TJ000001", "000001", "000001", "0200", purchase, 100, null, null, null)),
                    "a purchase is never processed twice, even after a failure");

            assertTrue(await(journal.open("TJ000001", "000001", "000001", "0400", reversal, 100, null, null, null)));
            assertFalse(await(journal.open("TJ000001", "000001", "000001", "0400", reversal, 100, null, null, null)),
                    "in progress");
            await(journal.close("TJ000001", "000001", "000001", "0400", JournalStatus.FAILED, "96", null, null));
            assertTrue(await(journal.open("TJ000001", "000001", "000001", "0400", reversal, 100, null, null, null)),
                    "a reversal that never reached the host is tried again");
            assertEquals(new TransactionJournal.Outcome(JournalStatus.PENDING, null),
                    await(journal.outcome("TJ000001", "000001", "000001", "0400")));
            await(journal.close("TJ000001", "000001", "000001", "0400", JournalStatus.APPROVED, "00", null, null));
            assertFalse(await(journal.open("TJ000001", "000001", "000001", "0400", reversal, 100, null, null, null)));
            assertEquals(new TransactionJournal.Outcome(JournalStatus.APPROVED, "00"),
                    await(journal.outcome("TJ000001", "000001", "000001", "0400")));
        }
    }

    /**
     * Rows an event loop closes in one turn are written by one transaction (the same xmin), each
     * with its own outcome, and every close completes only after that commit; a close from outside
     * an event loop runs alone.
     */
    @Test
    void rowsClosedInOneEventLoopTurnCommitTogether() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Pool db = gw.app().database().pool();
            TransactionJournal journal = new TransactionJournal(db);
            TransactionJournal.Kind purchase = TransactionJournal.Kind.PURCHASE;
            for (String stan : List.of("000001", "000002", "000003")) {
                assertTrue(await(journal.open("TJ000002", "000001", stan, "0200", purchase, 100, null, null, null)));
            }
            Promise<Void> closed = Promise.promise();
            gw.app().vertx().getOrCreateContext().runOnContext(v -> {
                List<Future<Void>> all = new ArrayList<>();
                all.add(journal.close("TJ000002", "000001", "000001", "0200", JournalStatus.APPROVED, "00", "000000000001", "A1"));
                all.add(journal.close("TJ000002", "000001", "000002", "0200", JournalStatus.DECLINED, "51", "000000000002", null));
                all.add(journal.close("TJ000002", "000001", "000003", "0200", JournalStatus.APPROVED, "00", "000000000003", "A3"));
                Future.all(all).<Void>mapEmpty().onComplete(closed);
            });
            await(closed.future());
            Set<String> writers = new HashSet<>();
            for (Row r : await(db.preparedQuery("select xmin::text, stan, status, response_code, rrn, auth_code, reversal"
                    + " from posp_transaction where tid = $1 order by stan").execute(Tuple.of("TJ000002")))) {
                writers.add(r.getString(0));
                assertEquals(r.getString(1).equals("000002") ? "DECLINED" : "APPROVED", r.getString(2));
                assertEquals("00000000000" + r.getString(1).charAt(5), r.getString(4));
                assertEquals(null, r.getValue(6), "closed: no reversal owed");
            }
            assertEquals(1, writers.size(), "one transaction closed the three rows: " + writers);

            assertTrue(await(journal.open("TJ000002", "000001", "000004", "0200", purchase, 100, null, null, null)));
            await(journal.close("TJ000002", "000001", "000004", "0200", JournalStatus.APPROVED, "00", null, null));
            assertEquals(new TransactionJournal.Outcome(JournalStatus.APPROVED, "00"),
                    await(journal.outcome("TJ000002", "000001", "000004", "0200")), "a close off the event loops runs alone");
        }
    }

    /**
     * Rows an event loop opens in one turn are written by one transaction (the same xmin), each
     * caller told its own outcome in order: a fresh row is opened, a row seen before is refused,
     * and of two opens of the same key in the batch the first wins (the batch sees its own insert).
     */
    @Test
    void rowsOpenedInOneEventLoopTurnCommitTogether() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Pool db = gw.app().database().pool();
            TransactionJournal journal = new TransactionJournal(db);
            TransactionJournal.Kind purchase = TransactionJournal.Kind.PURCHASE;
            assertTrue(await(journal.open("TJ000003", "000001", "000009", "0200", purchase, 100, null, null, null)));
            List<Boolean> opened = await(inOneTurn(gw, () -> List.of(
                    journal.open("TJ000003", "000001", "000001", "0200", purchase, 100, null, null, null),
                    journal.open("TJ000003", "000001", "000009", "0200", purchase, 100, null, null, null),
                    journal.open("TJ000003", "000001", "000002", "0200", purchase, 200, null, null, new byte[] {1, 2}),
                    journal.open("TJ000003", "000001", "000002", "0200", purchase, 200, null, null, new byte[] {1, 2}),
                    journal.open("TJ000003", "000001", "000003", "0200", purchase, 300, null, null, null))));
            assertEquals(List.of(true, false, true, false, true), opened,
                    "each caller gets its own row's outcome; the second open of 000002 in the batch is a repeat");
            Set<String> writers = new HashSet<>();
            for (Row r : await(db.preparedQuery("select xmin::text, stan, amount, status from posp_transaction"
                    + " where tid = $1 and stan <> '000009' order by stan").execute(Tuple.of("TJ000003")))) {
                writers.add(r.getString(0));
                assertEquals(100L * (r.getString(1).charAt(5) - '0'), r.getLong(2));
                assertEquals("PENDING", r.getString(3));
            }
            assertEquals(1, writers.size(), "one transaction opened the three rows: " + writers);
        }
    }

    /**
     * A row the database refuses fails only its own caller: the batch it spoiled is executed again
     * row by row, and its neighbours are opened (or closed) as if alone.
     */
    @Test
    void aRefusedRowFailsOnlyItsOwnCallerInItsTurn() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Pool db = gw.app().database().pool();
            TransactionJournal journal = new TransactionJournal(db);
            TransactionJournal.Kind purchase = TransactionJournal.Kind.PURCHASE;
            List<Future<Boolean>> opens = await(inOneTurn(gw, () -> List.of(
                    journal.open("TJ000004", "000001", "000001", "0200", purchase, 100, null, null, null),
                    // a negative amount breaks the refund cap's check (0 <= refunded <= amount)
                    journal.open("TJ000004", "000001", "000002", "0200", purchase, -1, null, null, null),
                    journal.open("TJ000004", "000001", "000003", "0200", purchase, 300, null, null, null),
                    journal.open("TJ000004", "000001", "000003", "0200", purchase, 300, null, null, null))
                    .stream().map(TransactionJournalIT::settled).toList()));
            assertTrue(await(opens.get(0)));
            assertTrue(opens.get(1).failed() && opens.get(1).cause().getMessage().contains("posp_transaction_refund_cap"),
                    "the refused row fails with its own cause: " + opens.get(1).cause());
            assertTrue(await(opens.get(2)));
            assertFalse(await(opens.get(3)), "alone again, the repeat still comes second");
            assertEquals(List.of("000001", "000003"), stans(db, "TJ000004"));

            List<Future<Void>> closes = await(inOneTurn(gw, () -> List.of(
                    journal.close("TJ000004", "000001", "000001", "0200", JournalStatus.APPROVED, "00", null, null),
                    // a response code is two characters
                    journal.close("TJ000004", "000001", "000003", "0200", JournalStatus.DECLINED, "051", null, null))
                    .stream().map(TransactionJournalIT::settled).toList()));
            assertTrue(closes.get(0).succeeded(), "the neighbour of a refused close is closed");
            assertTrue(closes.get(1).failed() && closes.get(1).cause().getMessage().contains("too long"),
                    "the refused close fails with its own cause: " + closes.get(1).cause());
            assertEquals(new TransactionJournal.Outcome(JournalStatus.APPROVED, "00"),
                    await(journal.outcome("TJ000004", "000001", "000001", "0200")));
            assertEquals(new TransactionJournal.Outcome(JournalStatus.PENDING, null),
                    await(journal.outcome("TJ000004", "000001", "000003", "0200")));
        }
    }

    /** V20 checks kind and status by function: every kind the gateway writes passes, anything else is refused. */
    @Test
    void theSchemaRefusesAnUnknownKindOrStatus() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Pool db = gw.app().database().pool();
            String insert = "insert into posp_transaction (tid, batch, stan, mti, kind, amount, status) values ($1, '000001', $2, '0200', $3, 1, $4)";
            int stan = 0;
            for (TransactionJournal.Kind kind : TransactionJournal.Kind.values()) {
                for (JournalStatus status : JournalStatus.values()) {
                    await(db.preparedQuery(insert).execute(Tuple.of("TJ000005", String.format("%06d", ++stan), kind.name(), status.name())));
                }
            }
            for (List<String> bad : List.of(List.of("BOGUS", "PENDING"), List.of("PURCHASE", "BOGUS"), List.of("purchase", "PENDING"))) {
                String at = String.format("%06d", ++stan);
                Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                        () -> await(db.preparedQuery(insert).execute(Tuple.of("TJ000005", at, bad.get(0), bad.get(1)))));
                assertTrue(refused.getMessage().contains(bad.get(0).equals("PURCHASE") ? "posp_transaction_status_check"
                        : "posp_transaction_kind_check"), bad + ": " + refused.getMessage());
            }
        }
    }

    /** What {@code calls} return, all called in one turn of one event loop, once all completed. */
    private static <T> Future<List<T>> inOneTurn(TestGateway gw, Supplier<List<Future<T>>> calls) {
        Promise<List<T>> all = Promise.promise();
        gw.app().vertx().getOrCreateContext().runOnContext(v -> {
            List<Future<T>> futures = calls.get();
            Future.all(futures).map(done -> futures.stream().map(Future::result).toList()).onComplete(all);
        });
        return all.future();
    }

    /** A future that succeeds with {@code f} once {@code f} completed, whether or not it failed. */
    private static <T> Future<Future<T>> settled(Future<T> f) {
        return f.transform(ar -> Future.succeededFuture(f));
    }

    private static List<String> stans(Pool db, String tid) throws Exception {
        List<String> stans = new ArrayList<>();
        for (Row r : await(db.preparedQuery("select stan from posp_transaction where tid = $1 order by stan").execute(Tuple.of(tid)))) {
            stans.add(r.getString(0));
        }
        return stans;
    }
}
