package dev.posgate.gateway.tms;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.spi.GatewayModule;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.ReplayWindow;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.gateway.platform.server.PerKeyRate;
import dev.posgate.gateway.tms.store.PackageRepositories;
import dev.posgate.gateway.tms.store.PendingPackages;
import dev.posgate.gateway.tms.store.PostgresPackageRepository;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.protocol.tms.handshake.FreshnessGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.spi.PendingUpdates;
import dev.posgate.gateway.tms.admin.TmsAdminApi;
import dev.posgate.gateway.tms.store.DmkStore;
import dev.posgate.gateway.tms.store.RolloutRepository;
import dev.posgate.gateway.tms.wire.FrameHandler;
import dev.posgate.gateway.tms.wire.H1Handler;
import dev.posgate.gateway.tms.wire.H2Handler;
import dev.posgate.gateway.tms.wire.HsmSeal;
import dev.posgate.gateway.tms.wire.InstallResultHandler;
import dev.posgate.gateway.tms.wire.PackageReportHandler;
import dev.posgate.gateway.tms.wire.TmsSettings;

/** The TMS (CN102013982A): H1/H2 handshake, D1–D3 sealed download, admin endpoints. docs/tms.md. */
public final class TmsModule implements GatewayModule {
    private static final Logger log = LoggerFactory.getLogger(TmsModule.class);
    private static final long PRUNE_MS = 60_000;

    private final Clock clock;
    private Vertx vertx;
    private long pruneTimer = -1;
    private PendingUpdates pendingUpdates;

    public TmsModule() {
        this(Clock.systemDefaultZone());
    }

    /** With the clock T_DATA is checked against (tests move it). */
    public TmsModule(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Future<Void> install(GatewayContext c, PosRoutes pos, Map<TmsCode, TmsHandler> tms, Router admin) {
        TmsSettings s;
        PackageRepositories repositories;
        try {
            s = TmsSettings.from(c.config());
            repositories = PackageRepositories.load(s.repositories(), c, s.fsRoot());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        RandomSource random = RandomSource.secure();
        DmkStore dmks = new DmkStore(c.keys());
        RolloutRepository rollout = new RolloutRepository(c.db());
        pendingUpdates = PendingPackages.of(c.terminals(), repositories, rollout);
        HsmSeal seal = new HsmSeal(c.hsm(), s.sealedMax(), random);
        FreshnessGuard freshness = new FreshnessGuard(s.clockSkew());
        ReplayWindow randoms = new ReplayWindow(c.db());
        // T_DATA randoms older than the replay window can no longer pass the clock check: forget them
        pruneTimer = c.vertx().setPeriodic(PRUNE_MS, id -> randoms.forget(ReplayWindow.Flow.TMS, freshness.replayWindow())
                .onFailure(e -> log.warn("could not prune TMS randoms: {}", e.toString())));
        vertx = c.vertx();
        tms.put(TmsCode.H1, new H1Handler(c.terminals(), dmks, c.hsm(), freshness, randoms, c.audit(), c.metrics(), clock, random,
                PerKeyRate.configured(c, "tms_h1", Setting.TMS_H1_RATE), s.sessionKeys()));
        tms.put(TmsCode.H2, new H2Handler(c.hsm(), c.keys(), c.audit(), s));
        tms.put(TmsCode.D1, new PackageReportHandler(seal, c.audit(), repositories, rollout));
        tms.put(TmsCode.D2, new FrameHandler(seal, c.audit(), repositories, rollout, s.frameMax()));
        tms.put(TmsCode.D3, new InstallResultHandler(seal, c.audit(), rollout));
        new TmsAdminApi(c.terminals(), c.keys(), dmks, c.hsm(), c.audit(), new PostgresPackageRepository(c.vertx(), c.db()), rollout, s)
                .mount(admin);
        return Future.succeededFuture();
    }

    /** Whether a terminal has an update pending, over this module's package repositories; after {@link #install}. */
    public PendingUpdates pendingUpdates() {
        if (pendingUpdates == null) throw new IllegalStateException("the TMS module is not installed");
        return pendingUpdates;
    }

    @Override
    public Future<Void> close() {
        if (vertx != null) vertx.cancelTimer(pruneTimer);
        return Future.succeededFuture();
    }
}
