package dev.posgate.gateway.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.gateway.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own database role appends to and reads the audit trail but is refused UPDATE,
 * DELETE and TRUNCATE by PostgreSQL's privileges (SQLSTATE 42501), before the trigger is even
 * reached: with a separate owner running the migrations (db.migration.url) and in the embedded
 * default, where the superuser only migrates.
 */
class AuditRoleSeparationIT {
    @Test
    void appRoleBehindDbUrlCannotAlterTheAuditLog() throws Exception {
        String ownerUrl = TestPostgres.newDatabaseUrl();
        String appUrl = ownerUrl.replace("postgresql://postgres@", "postgresql://posgate_app@");
        try (TestGateway gateway = TestGateway.start(Map.of(Setting.DB_MIGRATION_URL, ownerUrl, Setting.DB_URL, appUrl))) {
            assertAppendOnlyByPrivilege(gateway.app().database().pool());
        }
    }

    @Test
    void embeddedDefaultConnectsAsTheAppRole() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of(Setting.DB_URL, ""))) {
            Pool pool = gateway.app().database().pool();
            assertEquals("posgate_app", await(pool.query("select current_user").execute()).iterator().next().getString(0));
            assertAppendOnlyByPrivilege(pool);
        }
    }

    private static void assertAppendOnlyByPrivilege(Pool pool) throws Exception {
        AuditLog audit = new AuditLog(pool);
        await(audit.append("test", "key.generate", "SN-ROLE", "OK", new JsonObject().put("kcv", "ABCD")));
        assertEquals(1L, await(audit.count("SN-ROLE")));
        // the gateway keeps its other rights: it can still change its own tables
        await(pool.query("update terminal set status = status where false").execute());
        for (String sql : new String[] {
            "update audit_log set result = 'FORGED' where subject = 'SN-ROLE'",
            "delete from audit_log where subject = 'SN-ROLE'",
            "truncate audit_log",
            "drop table audit_log",
            "alter table audit_log disable trigger audit_log_no_update"}) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(pool.query(sql).execute()), sql);
            assertTrue(e.getCause() instanceof PgException, sql + ": " + e.getCause());
            String state = ((PgException) e.getCause()).getSqlState();
            assertTrue(state.equals("42501"), sql + " refused by privilege, not by the trigger: " + e.getCause().getMessage());
        }
        assertEquals(1L, await(audit.count("SN-ROLE")));
    }

}
