package dev.posgate.gateway.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.link.ManualTicker;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit trail is append-only in the database itself; keys keep one active version per slot. */
class AuditLogIT {
    static TestGateway gateway;
    static Pool pool;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start();
        pool = gateway.app().database().pool();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @Test
    void auditRowsCannotBeUpdatedDeletedOrTruncated() throws Exception {
        AuditLog audit = new AuditLog(pool);
        await(audit.append("test", "key.generate", "TERM0009", "OK", new JsonObject().put("kcv", "ABCD")));
        assertEquals(1L, await(audit.count("TERM0009")));
        for (String sql : new String[] {
            "update audit_log set result = 'FORGED' where subject = 'TERM0009'",
            "delete from audit_log where subject = 'TERM0009'",
            "truncate audit_log"}) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(pool.query(sql).execute()));
            assertTrue(e.getCause().getMessage().contains("append-only"), e.getCause().getMessage());
        }
        assertEquals(1L, await(audit.count("TERM0009")));
    }

    @Test
    void activatingAKeyRetiresThePreviousOneAtomically() throws Exception {
        KeyRepository keys = new KeyRepository(pool);
        KeyRecord v1 = await(pool.withTransaction(tx -> keys.store(tx, KeyRecord.OwnerType.TERMINAL, "SN-K1", "TMK", 1,
                "U0123456789ABCDEF0123456789ABCDEF", "1A2B3C", KeyRecord.State.ACTIVE)));
        KeyRecord v2 = await(pool.withTransaction(tx -> keys.store(tx, KeyRecord.OwnerType.TERMINAL, "SN-K1", "TMK", 1,
                "UFEDCBA9876543210FEDCBA9876543210", "4D5E6F", KeyRecord.State.PENDING)));
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals("1A2B3C", await(keys.active(KeyRecord.OwnerType.TERMINAL, "SN-K1", "TMK", 1)).orElseThrow().kcv(),
                "a pending key does not replace the active one");
        await(pool.withTransaction(tx -> keys.activate(tx, v2.id())));
        assertEquals("4D5E6F", await(keys.active(KeyRecord.OwnerType.TERMINAL, "SN-K1", "TMK", 1)).orElseThrow().kcv());
        ExecutionException again = assertThrows(ExecutionException.class,
                () -> await(pool.withTransaction(tx -> keys.activate(tx, v2.id()))));
        assertTrue(again.getCause().getMessage().contains("ACTIVE"));
        assertTrue(!v2.toString().contains("FEDCBA"), "toString never shows the encrypted key value");
    }

    /**
     * Repeated refusals of one kind: one row when the window opens, a summary row when the ticker
     * passes the window (the periodic check only looks; the ticker decides).
     */
    @Test
    void aRefusalWindowIsSummedUpOnceTheTickerHasPassedIt() throws Exception {
        ManualTicker ticker = new ManualTicker();
        Vertx vertx = Vertx.vertx();
        try {
            AuditLog audit = new AuditLog(pool, vertx, Duration.ofSeconds(60), 100, ticker);
            JsonObject why = new JsonObject().put("reason", "unknown TID");
            for (int i = 0; i < 3; i++) await(audit.appendRefusal("terminal:TICK0001", "pos.sign_on", "TICK0001", "97", why));
            assertEquals(1L, await(audit.count("TICK0001")), "the first refusal is written at once, the others counted");
            assertEquals(1, audit.openRefusalWindows());
            ticker.advance(Duration.ofSeconds(60));
            Eventually.until("the window is closed and summed up", () -> audit.openRefusalWindows() == 0);
            Eventually.until("the summary row is written", () -> await(audit.count("TICK0001")) == 2L);
            JsonObject summary = await(pool.query("select detail from audit_log where subject = 'TICK0001' and detail->>'summary' = 'true'")
                    .execute()).iterator().next().getJsonObject(0);
            assertEquals(2, summary.getInteger("suppressed"), summary.encode());
        } finally {
            await(vertx.close());
        }
    }
}
