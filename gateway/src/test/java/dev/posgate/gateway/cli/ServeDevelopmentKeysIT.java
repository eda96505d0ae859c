package dev.posgate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.secrets.DevelopmentKeys;
import dev.posgate.gateway.support.GatewayProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 probe: `serve` with the embedded defaults and the admin API on 0.0.0.0 started with a
 * generated LMK, CA and token for anyone who could reach it. Now it refuses, says why, and opens
 * nothing, unless told --dev; production keys, or loopback addresses, start as before.
 */
class ServeDevelopmentKeysIT {

    @Test
    void serveRefusesDevelopmentKeysWithTheAdminApiBeyondLoopback() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "serve-dev-");
        int adminPort = GatewayProcess.freePort();
        Path config = dir.resolve("gateway.properties");
        Files.writeString(config, "data.dir=" + dir.resolve("data") + "\nadmin.host=0.0.0.0\nadmin.port=" + adminPort
                + "\nlistener.port=0\n");
        CliRun run = CliRun.of("serve", "--config", config.toString());
        int rc = run.exit();
        String message = run.err();
        assertEquals(2, rc, message);
        assertTrue(message.contains("admin.host=0.0.0.0") && message.contains("development LMK")
                && message.contains("--dev"), message);
        // refused before anything started: no data directory, nothing on the admin port
        assertFalse(Files.exists(dir.resolve("data")), "nothing was generated");
        try (ServerSocket free = new ServerSocket(adminPort)) {
            assertTrue(free.isBound());
        }
    }

    @Test
    void developmentKeysAreFineOnLoopbackAndProductionKeysAnywhere() {
        GatewayConfig defaults = GatewayConfig.defaults();
        assertNull(DevelopmentKeys.refusal(defaults), "the embedded default on loopback starts");
        GatewayConfig exposed = defaults.with(Setting.ADMIN_HOST, "0.0.0.0");
        assertNotNull(DevelopmentKeys.refusal(exposed));
        // a database elsewhere exposes the development keys as much
        assertNotNull(DevelopmentKeys.refusal(defaults.with(Setting.DB_URL, "postgresql://app:pw@10.1.2.3:5432/posgate")));
        assertNotNull(DevelopmentKeys.refusal(defaults.with(Setting.HSM_HOSTS, "10.1.2.4:1500")),
                "a real HSM, but the generated CA and token");
        // production keys: a real HSM, a CA the operator put in place, a configured token
        assertNull(DevelopmentKeys.refusal(exposed.with(Setting.HSM_HOSTS, "10.1.2.4:1500")
                .with(Setting.KMS_CA_DIR, "/etc/posgate/kms-ca").with(Setting.ADMIN_TOKEN, "a-configured-token")));
        assertNull(DevelopmentKeys.refusal(defaults.with(Setting.ADMIN_HOST, "localhost")));
        assertNull(DevelopmentKeys.refusal(defaults.with(Setting.ADMIN_HOST, "::1")));
    }
}
