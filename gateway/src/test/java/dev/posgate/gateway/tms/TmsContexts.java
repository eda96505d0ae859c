package dev.posgate.gateway.tms;

import dev.posgate.gateway.GatewayContext;
import dev.posgate.gateway.db.AuditLog;
import dev.posgate.gateway.db.KeyRepository;
import dev.posgate.gateway.db.TerminalRepository;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.gateway.tms.repository.PackageRepositories;

/** A {@link GatewayContext} over a running test gateway's database, for the POSP-facing query. */
final class TmsContexts {
    private TmsContexts() {}

    static GatewayContext of(TestGateway g) {
        var pool = g.app().database().pool();
        AuditLog audit = new AuditLog(pool);
        return new GatewayContext(g.app().vertx(), g.app().config(), pool, g.app().hsmLink().hsm(),
                new TerminalRepository(pool, audit), new KeyRepository(pool), audit, null);
    }

    /** The POSP-facing pending-update query, built as the TMS module builds it. */
    static PendingUpdates pendingUpdates(TestGateway g) {
        GatewayContext c = of(g);
        TmsSettings s = TmsSettings.from(c.config());
        return PendingUpdates.of(c.terminals(), PackageRepositories.load(s.repositories(), c, s.fsRoot()), new RolloutRepository(c.db()));
    }
}
