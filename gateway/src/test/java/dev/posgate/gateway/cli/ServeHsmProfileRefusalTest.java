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
 * Issue 16: `serve` with hsm.profile=payshield and the TMS enabled (it needs the TAC/SAC and sealed
 * body extensions) exits 1 with one line naming the feature and the missing command, before
 * anything is opened or generated.
 */
class ServeHsmProfileRefusalTest {

    @Test
    void servingAFeatureThePayShieldProfileCannotServeIsRefusedAtStart() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "serve-profile-");
        int adminPort = GatewayProcess.freePort();
        Path config = dir.resolve("gateway.properties");
        Files.writeString(config, "data.dir=" + dir.resolve("data") + "\nadmin.port=" + adminPort
                + "\nlistener.port=0\nhsm.profile=payshield\nfeatures.disabled=kms,psam,sm4\n");
        CliRun run = CliRun.of("serve", "--config", config.toString());
        String message = run.err().strip();
        int rc = run.exit();
        assertEquals(1, rc, message);
        assertEquals(1, message.lines().count(), "one clear line: " + message);
        assertTrue(message.startsWith("posgate: failed to start: hsm.profile=payshield cannot serve the feature tms"), message);
        assertTrue(message.contains("HSM command ZS (TAC/SAC under the DWK)") && message.contains("features.disabled=tms"), message);
        assertFalse(Files.exists(dir.resolve("data")), "nothing was generated");
        try (ServerSocket free = new ServerSocket(adminPort)) {
            assertTrue(free.isBound());
        }
    }
}
