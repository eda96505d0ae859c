package dev.posgate.gateway;

import dev.posgate.gateway.config.GatewayConfig;
import dev.posgate.gateway.db.AuditLog;
import dev.posgate.gateway.db.KeyRepository;
import dev.posgate.gateway.db.TerminalRepository;
import dev.posgate.gateway.metrics.GatewayMetrics;
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
