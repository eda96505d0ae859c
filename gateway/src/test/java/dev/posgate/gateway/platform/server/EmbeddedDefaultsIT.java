package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.app.GatewayApp;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.NewTerminal;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.pos.PosMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With no database URL the gateway starts its own PostgreSQL under the data directory and
 * keeps it: what was registered before a restart is there after it.
 */
class EmbeddedDefaultsIT {

    @Test
    void embeddedDatabaseSurvivesARestart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "embedded-");
        GatewayConfig config = GatewayConfig.defaults()
                .with(Setting.DATA_DIR, dataDir)
                .with(Setting.LISTENER_HOST, "127.0.0.1")
                .with(Setting.LISTENER_PORT, 0)
                .with(Setting.ADMIN_PORT, 0);

        GatewayApp first = start(config);
        try {
            try (TerminalConnection t = TerminalConnection.open("127.0.0.1", first.port())) {
                assertEquals("00", PosMessage.unpack(t.exchange(Frames.echoRequest("000001"))).field(39));
            }
            TerminalRepository repo = new TerminalRepository(first.database().pool(), new AuditLog(first.database().pool()));
            repo.register(new NewTerminal("TERM0001", "898310048990001", "SN-EMB-1", null, "ACME", "P90",
                    Terminal.KeyScheme.TMK, Terminal.MacAlgorithm.ECB), "test").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            first.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        assertTrue(Files.isDirectory(dataDir.resolve("pg")));
        assertTrue(Files.exists(dataDir.resolve("admin.token")));

        GatewayApp second = start(config);
        try {
            TerminalRepository repo = new TerminalRepository(second.database().pool(), new AuditLog(second.database().pool()));
            assertTrue(repo.findByTid("TERM0001").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).isPresent());
            assertEquals(first.adminToken(), second.adminToken(), "the generated admin token is kept too");
        } finally {
            second.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static GatewayApp start(GatewayConfig config) throws Exception {
        return GatewayApp.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
