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
}
