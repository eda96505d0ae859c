package dev.posgate.gateway.fault;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.fault.TerminalLoad.Kind;
import dev.posgate.gateway.fault.TerminalLoad.Outcome;
import dev.posgate.testing.Eventually;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What must hold after a fault, checked against three records kept apart: the answers the
 * terminals got, the gateway's journal and reversal queue, and the approvals the host still
 * holds. A purchase the host approved is either approved in the journal and answered 00, or
 * reversed; nothing is approved that the terminal was not told; nothing is left half-written.
 */
final class Ledger {
    private record JournalRow(String status, String code, String rrn, String batch) {}

    private final Map<String, JournalRow> purchases = new HashMap<>(); // tid:stan
    private final Map<String, String> reversals = new HashMap<>(); // tid:stan -> state
    private final Set<String> hostApprovals;

    private Ledger(Set<String> hostApprovals) {
        this.hostApprovals = hostApprovals;
    }

    static Ledger read(Pool db, Set<String> hostApprovals) throws Exception {
        Ledger l = new Ledger(hostApprovals);
        for (Row r : await(db.query("select tid, stan, batch, status, response_code, rrn from posp_transaction"
                + " where mti = '0200'").execute())) {
            l.purchases.put(r.getString("tid") + ":" + r.getString("stan"),
                    new JournalRow(r.getString("status"), r.getString("response_code"), r.getString("rrn"), r.getString("batch")));
        }
        for (Row r : await(db.query("select tid, stan, state from posp_reversal").execute())) {
            l.reversals.put(r.getString("tid") + ":" + r.getString("stan"), r.getString("state"));
        }
        return l;
    }

    /**
     * Reads the records once the gateway has finished on its own what the fault left open
     * (deferred journal writes, queued reversals): no row PENDING in either table, and every
     * delivered reversal's purchase marked REVERSED (a second write after the delivery).
     */
    static Ledger settled(Pool db, Supplier<Set<String>> hostApprovals) throws Exception {
        Eventually.value("no journal row or reversal left PENDING, every delivered reversal applied",
                () -> await(db.query("select (select count(*) from posp_transaction where status = 'PENDING')"
                        + " + (select count(*) from posp_reversal where state = 'PENDING')"
                        + " + (select count(*) from posp_reversal r join posp_transaction t on t.tid = r.tid and t.stan = r.stan"
                        + " and t.mti = '0200' where r.state = 'DELIVERED' and t.status <> 'REVERSED')").execute())
                        .iterator().next().getLong(0),
                open -> open == 0);
        return read(db, hostApprovals.get());
    }

    /** Journal rows by status, e.g. {APPROVED=310, TIMED_OUT=12}. */
    Map<String, Integer> statuses() {
        Map<String, Integer> m = new TreeMap<>();
        for (JournalRow r : purchases.values()) m.merge(r.status(), 1, Integer::sum);
        return m;
    }

    Map<String, String> reversals() {
        return reversals;
    }

    /** Answers by code for one kind of request, e.g. {00=300, 96=41}. */
    static Map<String, Integer> codes(Iterable<Outcome> outcomes, Kind kind) {
        Map<String, Integer> m = new TreeMap<>();
        for (Outcome o : outcomes) if (o.kind() == kind) m.merge(o.code(), 1, Integer::sum);
        return m;
    }

    /** What terminals were answered while a fault lasted, by kind; the window must have seen all three kinds. */
    record FaultWindow(Map<String, Integer> purchases, Map<String, Integer> signOns, Map<String, Integer> echoes, long slowestMs) {
        static FaultWindow of(List<Outcome> during) {
            FaultWindow w = new FaultWindow(codes(during, Kind.PURCHASE), codes(during, Kind.SIGN_ON), codes(during, Kind.ECHO),
                    during.stream().mapToLong(Outcome::latencyMs).max().orElse(0));
            assertFalse(w.purchases.isEmpty() || w.signOns.isEmpty() || w.echoes.isEmpty(),
                    "the outage saw purchases, sign-ons and echoes");
            return w;
        }

        @Override
        public String toString() {
            return "purchases " + purchases + ", sign-ons " + signOns + ", echoes " + echoes + "; slowest answer " + slowestMs + " ms";
        }
    }

    /** The invariants every fault test asserts once the fault is over and the queues drained. */
    void assertConsistentWith(Iterable<Outcome> outcomes) {
        Set<String> answered00 = new HashSet<>();
        int sent = 0;
        int accounted = 0;
        for (Outcome o : outcomes) {
            assertNotNull(o.code());
            assertTrue(!TerminalLoad.LOST.equals(o.code()), "no request goes unanswered: " + o);
            if (o.kind() != Kind.PURCHASE) continue;
            sent++;
            String key = o.tid() + ":" + o.stan();
            JournalRow row = purchases.get(key);
            if ("00".equals(o.code())) {
                answered00.add(key);
                assertEquals(Boolean.TRUE, o.macValid(), "an approval is MACed: " + o);
                assertNotNull(row, "a purchase answered 00 has its journal row: " + o);
                assertEquals("APPROVED", row.status(), "a purchase answered 00 is approved in the journal: " + o);
                assertNotNull(row.rrn(), "an approved row carries the host's reference: " + o);
            } else if (row != null) {
                assertTrue(!"APPROVED".equals(row.status()) && !"PENDING".equals(row.status()),
                        "a purchase not answered 00 is neither approved nor left pending: " + o + " " + row);
                if ("TIMED_OUT".equals(row.status()) || "REVERSED".equals(row.status())) {
                    assertTrue(reversals.containsKey(key), "a purchase that may have reached the host is reversed: " + o);
                }
            }
            accounted++;
        }
        assertEquals(sent, accounted);
        Set<String> journalApproved = new HashSet<>();
        Set<String> journalApprovedAtHost = new HashSet<>();
        purchases.forEach((key, row) -> {
            if (!"APPROVED".equals(row.status())) return;
            journalApproved.add(key);
            String[] tidStan = key.split(":");
            journalApprovedAtHost.add(tidStan[0] + ":" + row.batch() + ":" + tidStan[1]);
        });
        assertEquals(answered00, journalApproved, "the journal approves exactly what the terminals were told 00");
        assertEquals(journalApprovedAtHost, hostApprovals,
                "the host holds exactly the approvals the journal has (every other one reversed)");
        for (Map.Entry<String, String> r : reversals.entrySet()) {
            assertEquals("DELIVERED", r.getValue(), "every queued reversal was delivered: " + r.getKey());
            JournalRow original = purchases.get(r.getKey());
            if (original != null) assertEquals("REVERSED", original.status(), "a delivered reversal reverses its original");
        }
    }
}
