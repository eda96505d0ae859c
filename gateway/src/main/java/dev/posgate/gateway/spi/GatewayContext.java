package dev.posgate.gateway.spi;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.hsm.Hsm;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** What a {@link GatewayModule} may use: the shared infrastructure, built once by {@link GatewayApp}. */
public record GatewayContext(
        Vertx vertx,
        GatewayConfig config,
        Pool db,
        Hsm hsm,
        TerminalRepository terminals,
        KeyRepository keys,
        AuditLog audit,
        GatewayMetrics metrics) {}
