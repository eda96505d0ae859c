package dev.posgate.gateway.support;

import dev.posgate.gateway.app.GatewayApp;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.hsm.Hsm;
import dev.posgate.testing.BusinessDayZone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Starts a real gateway (real TCP, real PostgreSQL) for a test class, on free ports. */
public final class TestGateway implements AutoCloseable {
    private final GatewayApp app;

    private TestGateway(GatewayApp app) {
        this.app = app;
    }

    public static TestGateway start(Map<Setting, Object> overrides) throws Exception {
        return start(overrides, UnaryOperator.identity());
    }

    /** With the modules seeing the HSM through {@code hsmView} ({@link GatewayApp#start(GatewayConfig, UnaryOperator)}). */
    public static TestGateway start(Map<Setting, Object> overrides, UnaryOperator<Hsm> hsmView) throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "gw-data-");
        GatewayConfig config = GatewayConfig.defaults()
                .with(Setting.DATA_DIR, dataDir)
                .with(Setting.DB_URL, TestPostgres.newDatabaseUrl())
                .with(Setting.LISTENER_HOST, "127.0.0.1")
                .with(Setting.LISTENER_PORT, 0)
                .with(Setting.ADMIN_PORT, 0)
                .with(Setting.DB_POOL_SIZE, 4)
                .with(Setting.POSP_TIMEZONE, BusinessDayZone.farFromMidnight());
        for (Map.Entry<Setting, Object> e : overrides.entrySet()) config = config.with(e.getKey(), e.getValue());
        GatewayApp app = GatewayApp.start(config, hsmView).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new TestGateway(app);
    }

    public static TestGateway start() throws Exception {
        return start(Map.of());
    }

    public GatewayApp app() {
        return app;
    }

    public int port() {
        return app.port();
    }

    public int adminPort() {
        return app.adminPort();
    }

    public TerminalConnection connect() throws Exception {
        return TerminalConnection.open("127.0.0.1", port());
    }

    @Override
    public void close() throws Exception {
        app.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
