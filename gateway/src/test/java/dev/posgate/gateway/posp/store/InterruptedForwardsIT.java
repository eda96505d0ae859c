package dev.posgate.gateway.posp.store;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.support.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which journal rows the crash recovery of forwarded messages resolves (real PostgreSQL; the
 * gateway has no upstream, so no sweeper of its own runs): only PENDING rows older than the
 * threshold that owe a reversal, each once; a row a live node may still be working on is left alone.
 */
class InterruptedForwardsIT {
    private static final byte[] OWED = "stand-in for a packed 0400".getBytes(StandardCharsets.US_ASCII);

    @Test
    void onlyStalePendingRowsThatOweAReversalAreQueuedAndClosed() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Pool db = gw.app().database().pool();
            insert(db, "000011", "0200", "PURCHASE", OWED, 3600);
            insert(db, "000012", "0200", "PURCHASE", OWED, 0); // a live node's request in flight
            insert(db, "000013", "0400", "REVERSAL", OWED, 3600);    // the terminal's own reversal
            insert(db, "000014", "0200", "BALANCE", null, 3600);     // owes nothing

            InterruptedForwards sweep = new InterruptedForwards(gw.app().vertx(), db, Duration.ofSeconds(30), Duration.ofSeconds(1));
            assertEquals(2, await(sweep.scan()));
            assertEquals(0, await(sweep.scan()), "each row is resolved once");

            Map<String, String> status = new HashMap<>();
            for (Row r : await(db.query("select stan, status from posp_transaction where reversal is null or status <> 'PENDING'").execute())) {
                status.put(r.getString(0), r.getString(1));
            }
            assertEquals(Map.of("000011", "TIMED_OUT", "000013", "APPROVED", "000014", "PENDING"), status);
            assertEquals("PENDING", await(db.query("select status from posp_transaction where stan = '000012'").execute())
                    .iterator().next().getString(0));
            List<Row> queued = new ArrayList<>();
            await(db.query("select stan, message, state from posp_reversal order by stan").execute()).forEach(queued::add);
            assertEquals(List.of("000011", "000013"), queued.stream().map(r -> r.getString("stan")).toList());
            for (Row r : queued) {
                assertArrayEquals(OWED, r.getBuffer("message").getBytes());
                assertEquals("PENDING", r.getString("state"));
            }
        }
    }

    /**
     * A completion, a cancel and a completion void left PENDING by a dead process had moved their
     * pre-auth (docs/posp.md "Pre-authorisation"): resolved, they are reversed and give it back.
     */
    @Test
    void aPreAuthMovedByAnInterruptedCompletionCancelOrVoidIsGivenBack() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Pool db = gw.app().database().pool();
            long completed = row(db, "000021", "0100", "PREAUTH", "COMPLETED", null, null, 3600);
            row(db, "000022", "0200", "COMPLETION", "PENDING", OWED, completed, 3600);
            long cancelled = row(db, "000023", "0100", "PREAUTH", "CANCELLED", null, null, 3600);
            row(db, "000024", "0100", "PREAUTH_CANCEL", "PENDING", OWED, cancelled, 3600);
            long reopened = row(db, "000025", "0100", "PREAUTH", "APPROVED", null, null, 3600);
            long completion = row(db, "000026", "0200", "COMPLETION", "APPROVED", null, reopened, 3600);
            row(db, "000027", "0200", "COMPLETION_VOID", "PENDING", OWED, completion, 3600);

            InterruptedForwards sweep = new InterruptedForwards(gw.app().vertx(), db, Duration.ofSeconds(30), Duration.ofSeconds(1));
            assertEquals(3, await(sweep.scan()));

            Map<String, String> status = new HashMap<>();
            for (Row r : await(db.query("select stan, status from posp_transaction where tid = 'TIF00002'").execute())) {
                status.put(r.getString(0), r.getString(1));
            }
            assertEquals(Map.of("000021", "APPROVED", "000022", "TIMED_OUT", "000023", "APPROVED", "000024", "TIMED_OUT",
                    "000025", "COMPLETED", "000026", "APPROVED", "000027", "TIMED_OUT"), status);
        }
    }

    /**
     * A 0220 advice left PENDING by a dead process was never accepted (nothing applied, nothing
     * queued): closed FAILED, so the terminal's resend of it is opened again; an accepted one
     * (QUEUED) and a recent one are left alone.
     */
    @Test
    void aStalePendingAdviceIsClosedFailedAndItsResendIsOpenedAgain() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Pool db = gw.app().database().pool();
            row(db, "000031", "0220", "REFUND", "PENDING", null, null, 3600);
            row(db, "000032", "0220", "OFFLINE", "PENDING", null, null, 0);
            long queued = row(db, "000033", "0220", "OFFLINE", "APPROVED", null, null, 3600);
            // a stored advice names its DEK and IV (V16); this one's body is never opened (no host configured)
            await(db.preparedQuery("update posp_transaction set advice_state = 'QUEUED', advice = '\\x0102030405060708',"
                            + " advice_iv = '\\x0000000000000000', advice_key_id = (select id from key_record"
                            + " where key_type = 'ADVDEK' and state = 'ACTIVE') where id = $1")
                    .execute(Tuple.of(queued)));

            InterruptedForwards sweep = new InterruptedForwards(gw.app().vertx(), db, Duration.ofSeconds(30), Duration.ofSeconds(1));
            assertEquals(0, await(sweep.scan()), "no reversal owed");

            Map<String, String> status = new HashMap<>();
            for (Row r : await(db.query("select stan, status from posp_transaction where tid = 'TIF00002'").execute())) {
                status.put(r.getString(0), r.getString(1));
            }
            assertEquals(Map.of("000031", "FAILED", "000032", "PENDING", "000033", "APPROVED"), status);
            TransactionJournal journal = new TransactionJournal(db);
            assertEquals(true, await(journal.open("TIF00002", "000001", "000031", "0220", TransactionJournal.Kind.REFUND, 100, null,
                    null, null)), "the resend is processed");
            assertEquals(false, await(journal.open("TIF00002", "000001", "000033", "0220", TransactionJournal.Kind.OFFLINE, 100, null,
                    null, null)), "an accepted advice's resend is a repeat");
        }
    }

    private static long row(Pool db, String stan, String mti, String kind, String status, byte[] reversal, Long origId,
            int ageSeconds) throws Exception {
        return await(db.preparedQuery("insert into posp_transaction (tid, batch, stan, mti, kind, amount, status, reversal, orig_id,"
                        + " updated_at) values ('TIF00002', '000001', $1, $2, $3, 100, $4, $5, $6, now() - make_interval(secs => $7))"
                        + " returning id")
                .execute(Tuple.of(stan, mti, kind, status, reversal == null ? null : Buffer.buffer(reversal), origId, (double) ageSeconds)))
                .iterator().next().getLong(0);
    }

    private static void insert(Pool db, String stan, String mti, String kind, byte[] reversal, int ageSeconds) throws Exception {
        await(db.preparedQuery("insert into posp_transaction (tid, batch, stan, mti, kind, amount, status, reversal, updated_at)"
                        + " values ('TIF00001', '000001', $1, $2, $3, 100, 'PENDING', $4, now() - make_interval(secs => $5))")
                .execute(Tuple.of(stan, mti, kind, reversal == null ? null : Buffer.buffer(reversal), (double) ageSeconds)));
    }
}
