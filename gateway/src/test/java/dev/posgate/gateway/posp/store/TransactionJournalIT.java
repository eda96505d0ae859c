package dev.posgate.gateway.posp.store;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.TestGateway;
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
}
