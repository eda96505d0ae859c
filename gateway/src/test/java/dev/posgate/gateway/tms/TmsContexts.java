package dev.posgate.gateway.tms;

import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.gateway.tms.store.PackageRepositories;
import dev.posgate.gateway.tms.store.PendingPackages;
import dev.posgate.gateway.spi.PendingUpdates;
import dev.posgate.gateway.tms.store.RolloutRepository;
import dev.posgate.gateway.tms.wire.TmsSettings;

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
        return PendingPackages.of(c.terminals(), PackageRepositories.load(s.repositories(), c, s.fsRoot()), new RolloutRepository(c.db()));
    }
}
