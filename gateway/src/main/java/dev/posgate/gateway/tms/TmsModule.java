package dev.posgate.gateway.tms;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.GatewayContext;
import dev.posgate.gateway.GatewayModule;
import dev.posgate.gateway.routing.PosRoutes;
import dev.posgate.gateway.routing.TmsHandler;
import dev.posgate.gateway.tms.repository.PackageRepositories;
import dev.posgate.gateway.tms.repository.PostgresPackageRepository;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.tms.handshake.FreshnessGuard;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Map;

/** The TMS (CN102013982A): H1/H2 handshake, D1–D3 sealed download, admin endpoints. docs/tms.md. */
public final class TmsModule implements GatewayModule {
    private final Clock clock;

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
        HsmSeal seal = new HsmSeal(c.hsm(), random);
        tms.put(TmsCode.H1, new H1Handler(c.terminals(), dmks, c.hsm(), new FreshnessGuard(s.clockSkew()), c.audit(), clock, random));
        tms.put(TmsCode.H2, new H2Handler(c.hsm(), c.keys(), c.audit(), s));
        tms.put(TmsCode.D1, new PackageReportHandler(seal, c.audit(), repositories, rollout));
        tms.put(TmsCode.D2, new FrameHandler(seal, c.audit(), repositories, rollout, s.frameMax()));
        tms.put(TmsCode.D3, new InstallResultHandler(seal, c.audit(), rollout));
        new TmsAdminApi(c.terminals(), c.keys(), dmks, c.hsm(), c.audit(), new PostgresPackageRepository(c.vertx(), c.db()), rollout, s)
                .mount(admin);
        return Future.succeededFuture();
    }
}
