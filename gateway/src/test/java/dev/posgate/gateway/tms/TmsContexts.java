package dev.posgate.gateway.tms;

import dev.posgate.gateway.GatewayContext;
import dev.posgate.gateway.db.AuditLog;
import dev.posgate.gateway.db.KeyRepository;
import dev.posgate.gateway.db.TerminalRepository;
import dev.posgate.gateway.support.TestGateway;

/** A {@link GatewayContext} over a running test gateway's database, for the POSP-facing query. */
final class TmsContexts {
    private TmsContexts() {}

    static GatewayContext of(TestGateway g) {
        var pool = g.app().database().pool();
        AuditLog audit = new AuditLog(pool);
        return new GatewayContext(g.app().vertx(), g.app().config(), pool, g.app().hsmLink().hsm(),
                new TerminalRepository(pool, audit), new KeyRepository(pool), audit, null);
    }
}
