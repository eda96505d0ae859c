package dev.posgate.gateway.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.secrets.SecretFile;
import dev.posgate.gateway.support.GatewayProcess;
import dev.posgate.gateway.support.TestGateway;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 probe: the embedded PostgreSQL trusted every local role, so anyone on the machine
 * could connect to its port as the superuser {@code postgres} without a password and read the
 * LMK with pg_read_file, run programs with COPY ... TO PROGRAM or drop the audit triggers. Now
 * every role needs its SCRAM password (generated into data.dir, 0600), also after an older
 * data directory that still trusts is started by this version.
 */
class EmbeddedPostgresAuthenticationIT {
    private static final Set<String> AUTH_REFUSED = Set.of("28P01", "08004", "28000");

    @Test
    void superuserAndAppRoleAreRefusedWithoutTheirPasswords() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "gw-pgauth-");
        int port = GatewayProcess.freePort();
        try (TestGateway gateway = start(dataDir, port)) {
            // the gateway itself works, as the app role with its password
            assertEquals("posgate_app", await(gateway.app().database().pool().query("select current_user").execute())
                    .iterator().next().getString(0));
            // a commit is on disk when it returns (zonky's builder would turn synchronous_commit off)
            assertEquals("on on", await(gateway.app().database().pool()
                    .query("select current_setting('synchronous_commit') || ' ' || current_setting('fsync')").execute())
                    .iterator().next().getString(0));
            assertAttackRefused(port, dataDir);
            assertEquals(SecretFile.OWNER_FILE, Files.getPosixFilePermissions(
                    dataDir.resolve(EmbeddedAuthentication.SUPERUSER_PASSWORD_FILE)));
            assertEquals(SecretFile.OWNER_FILE, Files.getPosixFilePermissions(
                    dataDir.resolve(EmbeddedAuthentication.APP_PASSWORD_FILE)));
        }
    }

    @Test
    void anOlderTrustingDataDirectoryIsUpgradedOnStart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "gw-pgauth-upgrade-");
        int port = GatewayProcess.freePort();
        try (TestGateway gateway = start(dataDir, port)) {
            assertEquals(1, await(gateway.app().database().pool().query("select 1").execute()).size());
        }
        // what an older version left: trust for everyone, no password files
        Files.writeString(dataDir.resolve("pg/pg_hba.conf"), "local all all trust\nhost all all all trust\n");
        String oldPassword = Files.readString(dataDir.resolve(EmbeddedAuthentication.SUPERUSER_PASSWORD_FILE)).trim();
        Files.delete(dataDir.resolve(EmbeddedAuthentication.SUPERUSER_PASSWORD_FILE));
        Files.delete(dataDir.resolve(EmbeddedAuthentication.APP_PASSWORD_FILE));
        try (TestGateway gateway = start(dataDir, port)) {
            assertEquals(1, await(gateway.app().database().pool().query("select 1").execute()).size());
            assertAttackRefused(port, dataDir);
            assertNotEquals(oldPassword, Files.readString(dataDir.resolve(EmbeddedAuthentication.SUPERUSER_PASSWORD_FILE)).trim());
            assertRefused(port, "postgres", oldPassword);
        }
    }

    private static TestGateway start(Path dataDir, int port) throws Exception {
        // RSA key generation for the KMS identities (EI) takes seconds on a loaded machine
        return TestGateway.start(Map.of(Setting.DB_URL, "", Setting.DATA_DIR, dataDir, Setting.DB_EMBEDDED_PORT, port,
                Setting.HSM_TIMEOUT, 30_000));
    }

    private static void assertAttackRefused(int port, Path dataDir) throws Exception {
        for (String role : new String[] {"postgres", "posgate_app"}) {
            assertRefused(port, role, null);
            assertRefused(port, role, "");
            assertRefused(port, role, "postgres");
        }
        // the right password still opens the door: the refusals above are authentication, not a dead port
        String su = Files.readString(dataDir.resolve(EmbeddedAuthentication.SUPERUSER_PASSWORD_FILE)).trim();
        try (Connection c = connect(port, "postgres", su); ResultSet rs = c.createStatement().executeQuery(
                "select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname in ('postgres', 'posgate_app')")) {
            int rows = 0;
            while (rs.next()) {
                assertTrue(rs.getBoolean(1), "passwords are stored as SCRAM verifiers");
                rows++;
            }
            assertEquals(2, rows);
        }
    }

    private static void assertRefused(int port, String user, String password) {
        SQLException e = assertThrows(SQLException.class, () -> connect(port, user, password).close(),
                user + " with password " + (password == null ? "none" : "'" + password + "'"));
        assertTrue(AUTH_REFUSED.contains(e.getSQLState()), user + ": " + e.getSQLState() + " " + e.getMessage());
    }

    private static Connection connect(int port, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", p);
    }

}
