package dev.posgate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.GatewayProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: `serve` with hsm.profile=payshield and the KMS enabled (it needs the TK-block and AUK-proof
 * extensions) exits 1 with one line naming the feature and the missing command, before
 * anything is opened or generated.
 */
class ServeHsmProfileRefusalTest {

    @Test
    void servingAFeatureThePayShieldProfileCannotServeIsRefusedAtStart() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "serve-profile-");
        int adminPort = GatewayProcess.freePort();
        Path config = dir.resolve("gateway.properties");
        Files.writeString(config, "data.dir=" + dir.resolve("data") + "\nadmin.port=" + adminPort
                + "\nlistener.port=0\nhsm.profile=payshield\nfeatures.disabled=psam,sm4\n");
        CliRun run = CliRun.of("serve", "--config", config.toString());
        String message = run.err().strip();
        int rc = run.exit();
        assertEquals(1, rc, message);
        assertEquals(1, message.lines().count(), "one clear line: " + message);
        assertTrue(message.startsWith("posgate: failed to start: hsm.profile=payshield cannot serve the feature kms"), message);
        assertTrue(message.contains("HSM command ZI (unwrap the TK block (TEK, AUK))") && message.contains("features.disabled=kms"), message);
        assertFalse(Files.exists(dir.resolve("data")), "nothing was generated");
        try (ServerSocket free = new ServerSocket(adminPort)) {
            assertTrue(free.isBound());
        }
    }
}
