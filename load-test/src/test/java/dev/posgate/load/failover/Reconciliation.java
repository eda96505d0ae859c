package dev.posgate.load.failover;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The three books of a failover run set side by side: the terminals' records (purchases sent,
 * answers, reversals acknowledged), the host simulator's ledger (approved purchases net of
 * reversals) and the gateways' shared database ({@code posp_transaction}, {@code posp_reversal}).
 * Every discrepancy is a {@link #problems problem}.
 */
record Reconciliation(
        int purchasesSent, int purchasesAnswered, int purchasesApproved, long approvedAmount,
        int unanswered, int reversalsSent, int reversalsAcknowledged, int lost, int badMacs,
        int hostLedgerEntries, long hostLedgerAmount,
        int dbApproved, long dbApprovedAmount, int dbPendingPurchases, int dbPendingWithoutReversal,
        int dbReversalsDelivered, int dbReversalsPending,
        Map<String, Integer> answerCodes, Map<String, Integer> reversalCodes, List<String> problems) {

    static Reconciliation of(List<FailoverTerminal> terminals, Map<String, Long> hostLedger, Connection db)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, Long> approved = new HashMap<>();
        int sent = 0;
        int answered = 0;
        int reversalsSent = 0;
        int reversed = 0;
        int lost = 0;
        int badMacs = 0;
        Map<String, Integer> answerCodes = new TreeMap<>();
        Map<String, Integer> reversalCodes = new TreeMap<>();
        for (FailoverTerminal t : terminals) {
            t.answered.values().forEach(code -> answerCodes.merge(code, 1, Integer::sum));
            t.reversed.values().forEach(code -> reversalCodes.merge(code, 1, Integer::sum));
            sent += t.sent.size();
            answered += t.answered.size();
            reversalsSent += t.reversalsSent;
            reversed += t.reversed.size();
            badMacs += t.badMacs;
            approved.putAll(t.approved);
            for (String key : t.sent.keySet()) {
                if (!t.answered.containsKey(key) && !t.reversed.containsKey(key)) {
                    lost++;
                    if (lost <= 10) problems.add("purchase " + key + " neither answered nor reversed");
                }
            }
            if (t.reversalPending()) problems.add(t.tid() + " still has a reversal pending");
        }
        if (badMacs > 0) problems.add(badMacs + " answers with a missing or bad MAC");

        compare("terminals' approved purchases", approved, "host ledger", hostLedger, problems);

        Map<String, Long> dbApproved = new HashMap<>();
        int dbPending;
        int dbPendingWithoutReversal;
        int delivered = 0;
        int pendingReversals = 0;
        try (Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("select tid || ':' || batch || ':' || stan, amount from posp_transaction"
                    + " where kind = 'PURCHASE' and status = 'APPROVED'")) {
                while (rs.next()) dbApproved.put(rs.getString(1), rs.getLong(2));
            }
            dbPending = count(st, "select count(*) from posp_transaction where kind = 'PURCHASE' and status = 'PENDING'");
            dbPendingWithoutReversal = count(st, "select count(*) from posp_transaction p where kind = 'PURCHASE'"
                    + " and status = 'PENDING' and not exists (select 1 from posp_transaction r where r.kind = 'REVERSAL'"
                    + " and r.tid = p.tid and r.batch = p.batch and r.stan = p.stan)");
            try (ResultSet rs = st.executeQuery("select state, count(*) from posp_reversal group by state")) {
                while (rs.next()) {
                    if ("DELIVERED".equals(rs.getString(1))) delivered = rs.getInt(2);
                    else pendingReversals += rs.getInt(2);
                }
            }
        }
        compare("terminals' approved purchases", approved, "posp_transaction APPROVED", dbApproved, problems);
        if (dbPendingWithoutReversal > 0) {
            problems.add(dbPendingWithoutReversal + " purchases left PENDING by the killed node with no reversal journalled");
        }
        if (pendingReversals > 0) problems.add(pendingReversals + " reversals still PENDING in posp_reversal");

        return new Reconciliation(sent, answered, approved.size(), sum(approved), sent - answered, reversalsSent,
                reversed, lost, badMacs, hostLedger.size(), sum(hostLedger), dbApproved.size(), sum(dbApproved),
                dbPending, dbPendingWithoutReversal, delivered, pendingReversals, answerCodes, reversalCodes, List.copyOf(problems));
    }

    /** Amount by amount: every key in one book with the same amount in the other. */
    private static void compare(String aName, Map<String, Long> a, String bName, Map<String, Long> b, List<String> problems) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        int shown = 0;
        for (String k : keys) {
            Long x = a.get(k);
            Long y = b.get(k);
            if (x != null && x.equals(y)) continue;
            if (shown++ < 10) problems.add(k + ": " + aName + " " + x + ", " + bName + " " + y);
        }
        if (shown > 10) problems.add((shown - 10) + " more differences between " + aName + " and " + bName);
    }

    private static int count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
