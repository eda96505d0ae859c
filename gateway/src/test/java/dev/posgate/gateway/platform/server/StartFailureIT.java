package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.app.GatewayApp;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A gateway that cannot reach its HSM refuses to start, says why, and releases what it opened. */
class StartFailureIT {

    @Test
    void unreachableHsmFailsTheStartPromptlyAndFreesTheListenerPort() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        int listenerPort;
        try (ServerSocket s = new ServerSocket(0)) {
            listenerPort = s.getLocalPort();
        }
        GatewayConfig config = GatewayConfig.defaults()
                .with(Setting.DATA_DIR, Files.createTempDirectory(Path.of("target"), "startfail-"))
                .with(Setting.DB_URL, TestPostgres.newDatabaseUrl())
                .with(Setting.HSM_HOSTS, "127.0.0.1:" + deadPort)
                .with(Setting.HSM_TIMEOUT, 500)
                .with(Setting.LISTENER_HOST, "127.0.0.1")
                .with(Setting.LISTENER_PORT, listenerPort)
                .with(Setting.ADMIN_PORT, 0);
        long started = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> GatewayApp.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds < 30, "a start that cannot succeed fails within seconds, took " + seconds + " s");
        assertTrue(String.valueOf(e.getCause().getMessage()).toLowerCase().contains("hsm")
                || e.getCause().getClass().getName().toLowerCase().contains("hsm"), e.getCause().toString());
        try (ServerSocket again = new ServerSocket(listenerPort)) {
            assertTrue(again.isBound(), "nothing was left listening");
        }
    }

    /** Issue 13: the compose file's change-me-in-production was accepted as the admin API's bearer token. */
    @Test
    void placeholderOrShortAdminTokensStopTheStartWithAClearMessage() throws Exception {
        for (String[] c : new String[][] {{"change-me-in-production", "placeholder"}, {"s3cr3t-but-short", "fewer than 24"}}) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> dev.posgate.gateway.support.TestGateway.start(java.util.Map.of(Setting.ADMIN_TOKEN, c[0])), c[0]);
            Throwable cause = e.getCause();
            assertTrue(String.valueOf(cause.getMessage()).contains(c[1]) && cause.getMessage().contains("admin.token"), cause.toString());
        }
    }
}
