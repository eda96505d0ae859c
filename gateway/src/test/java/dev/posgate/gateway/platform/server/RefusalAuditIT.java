package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.gateway.support.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 13: each refusal wrote an audit row, so a stranger could grow the audit table without bound. */
class RefusalAuditIT {

    /** A sign-on 0800 (60.3 = 003) from {@code tid}, built from the echo request's layout. */
    static byte[] signOn(String tid) {
        byte[] b = Frames.echoRequest("000001");
        String echo = new String(b, StandardCharsets.ISO_8859_1);
        int at = echo.indexOf("TERM0001");
        System.arraycopy(tid.getBytes(StandardCharsets.US_ASCII), 0, b, at, 8);
        b[12] = 0x00; // MTI 0820 -> 0800
        b[b.length - 2] = 0x00; // 60.3 301 -> 003
        b[b.length - 1] = 0x30;
        return b;
    }

    /** Counts with a connection of its own, so it also works after the gateway stopped. */
    private static long count(String dbUrl, String sql, String... params) throws Exception {
        String jdbc = "jdbc:" + dbUrl.replace("postgres@", "") + "?user=postgres";
        try (Connection c = DriverManager.getConnection(jdbc); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) p.setString(i + 1, params[i]);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * 50 refusals of one kind and 200 of made-up TIDs, within one window (10 minutes: none closes
     * during the test, whatever the machine's load): the first of each kind is written, at most
     * audit.refusal.kinds.max kinds are tracked, and stopping the gateway writes the summaries.
     */
    @Test
    void repeatedAndScatteredRefusalsWriteBoundedRowsAndOneSummaryAWindow() throws Exception {
        String db = TestPostgres.newDatabaseUrl();
        // no sign-on rate: it would answer NOBODY99's seventh sign-on 12 before the lookup that refuses it
        try (TestGateway g = TestGateway.start(Map.of(Setting.DB_URL, db, Setting.AUDIT_REFUSAL_WINDOW, 600,
                Setting.AUDIT_REFUSAL_KINDS, 20, Setting.POSP_SIGN_ON_RATE, 0))) {
            try (TerminalConnection t = g.connect()) {
                for (int i = 0; i < 50; i++) {
                    assertEquals("97", PosMessage.unpack(t.exchange(signOn("NOBODY99"))).field(39));
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals("97", PosMessage.unpack(t.exchange(signOn(String.format("STR%05d", i)))).field(39));
                }
            }
            assertEquals(1, count(db, ROWS, "NOBODY99"), "50 refusals of one kind: one row written at once (was 50)");
            assertEquals(19, count(db, "select count(*) from audit_log where action = 'pos.sign_on' and subject like 'STR%'"),
                    "20 kinds tracked: NOBODY99 and 19 made-up TIDs");
            assertEquals(1, count(db, ROWS, "*"), "the rest under one overflow row");
        }
        // stopping closed the windows: one summary for each kind with counted refusals
        assertEquals(49, count(db, SUPPRESSED, "NOBODY99"));
        assertEquals(200 - 19 - 1, count(db, SUPPRESSED, "*"));
        System.out.printf("RefusalAuditIT: 250 refusals wrote %d audit rows%n",
                count(db, "select count(*) from audit_log where action = 'pos.sign_on'"));
    }

    private static final String ROWS = "select count(*) from audit_log where action = 'pos.sign_on' and subject = ? "
            + "and detail->>'summary' is null";
    private static final String SUPPRESSED = "select coalesce(sum((detail->>'suppressed')::bigint), -1) from audit_log "
            + "where action = 'pos.sign_on' and subject = ? and detail->>'summary' = 'true'";
}
