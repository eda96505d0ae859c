package dev.posgate.gateway.kms;

import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.spi.GatewayModule;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.ReplayWindow;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.Sm2CertificateAuthority;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.gateway.platform.server.PerKeyRate;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import dev.posgate.gateway.kms.admin.KmsAdminEndpoints;
import dev.posgate.gateway.kms.admin.LoadingAuthorisationEndpoints;
import dev.posgate.gateway.kms.store.KmsIdentities;
import dev.posgate.gateway.kms.store.LoadingAuthorisations;
import dev.posgate.gateway.kms.store.LoadingStatementVerifier;
import dev.posgate.gateway.kms.store.TmkLifecycle;
import dev.posgate.gateway.kms.store.TransmissionKeyRepository;
import dev.posgate.gateway.kms.wire.DeviceCertificates;
import dev.posgate.gateway.kms.wire.KmsHandlers;
import dev.posgate.gateway.kms.wire.LoaderHandlers;

/**
 * KMS (issue 4, docs/kms.md): remote TMK download K1–K4, remote key loading L1–L3 (on its own
 * listener, under loading authorisations), the factory TK batch upload, repair authorisations and
 * revocations. On install it opens the development CA (created on first run) and makes sure the
 * KMS and key-loader identities exist in the HSM.
 */
public final class KmsModule implements GatewayModule {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KmsModule.class);

    /** Where the development CA lives: {@code kms.ca.dir}, or data.dir/ca. */
    public static Path caDir(dev.posgate.gateway.platform.config.GatewayConfig config) {
        String dir = config.string(Setting.KMS_CA_DIR);
        return dir.isEmpty() ? config.dataDir().resolve("ca") : Path.of(dir);
    }

    /** The identity name of an acquirer's key loader. */
    /** The SM2 root of the development CA in {@code kms.ca.dir}: {@code sm2-root.key} (under the LMK) and {@code sm2-root.crt}. */
    public static final String SM2_ROOT = "sm2-root";
    /** The {@code kms_identity} name of the SM2 KMS identity (SM4 terminals' K1). */
    public static final String SM2_KMS_IDENTITY = "KMS-SM2";

    /** The SM2 root of an acquirer (its SM4 terminals' AcquireRCRT): {@code sm2-acquirer-<id>.key|.crt} in {@code kms.ca.dir}. */
    public static String sm2AcquirerRoot(String acquirer) {
        return "sm2-acquirer-" + acquirer;
    }

    /** The {@code kms_identity} name of the SM2 key loader of an acquirer. */
    public static String sm2LoaderIdentity(String acquirer) {
        return "LOADER-SM2:" + acquirer;
    }

    public static String loaderIdentity(String acquirer) {
        return "LOADER:" + acquirer;
    }

    /**
     * The key loader's routes, served only by the key-loading listener ({@code loader.port}); filled
     * by {@link #install}. The terminal listener answers L1 (the certificate is public) but not L2/L3.
     */
    public Map<TmsCode, TmsHandler> loadingRoutes() {
        return loadingRoutes;
    }

    private final Map<TmsCode, TmsHandler> loadingRoutes = new EnumMap<>(TmsCode.class);

    @Override
    public Future<Void> install(GatewayContext c, PosRoutes pos, Map<TmsCode, TmsHandler> tms, Router admin) {
        CaStore store = new CaStore(caDir(c.config()));
        String acquirer = c.config().string(Setting.KMS_ACQUIRER);
        DeviceCertificates.Profile profile = DeviceCertificates.Profile.of(c.config().string(Setting.LOADER_DEVICE_CERTIFICATE));
        String manufacturerTrust = c.config().string(Setting.LOADER_MANUFACTURER_TRUST);
        int ttl = c.config().integer(Setting.LOADER_AUTHORISATION_TTL);
        int ttlMax = c.config().integer(Setting.LOADER_AUTHORISATION_TTL_MAX);
        if (ttl < 1 || ttl > ttlMax) {
            return Future.failedFuture(new IllegalArgumentException(
                    "loader.authorisation.ttl.seconds must be 1..loader.authorisation.ttl.max.seconds (" + ttlMax + "), not " + ttl));
        }
        KmsIdentities identities = new KmsIdentities(c.vertx(), c.db(), c.hsm(), c.audit(), c.config().integer(Setting.KMS_RSA_BITS),
                c.config().integer(Setting.HSM_KEYGEN_TIMEOUT));
        log.info("start-up: loading the posgate CA and the acquirer CA {} from {} (created on first run)...", acquirer, caDir(c.config()));
        return c.vertx().executeBlocking(() -> new CertificateAuthority[] {store.root(), store.acquirer(acquirer)})
                .compose(cas -> c.vertx().executeBlocking(() -> new DeviceCertificates(manufacturerTrust.isEmpty()
                                ? List.of(store.manufacturer().root()) : DeviceCertificates.readPem(Path.of(manufacturerTrust))))
                        .compose(devices -> identities.ensure("KMS", CertificateRole.KMS, cas[0])
                        .compose(kms -> Sm2CertificateAuthority.loadOrCreate(c.vertx(), c.hsm(), caDir(c.config()), SM2_ROOT, "posgate SM2 CA", 10)
                                .compose(sm2Ca -> identities.ensureSm2(SM2_KMS_IDENTITY, CertificateRole.KMS, sm2Ca))
                        .compose(sm2Kms -> identities.ensure(loaderIdentity(acquirer), CertificateRole.KEY_LOADER, cas[1])
                        .compose(loader -> Sm2CertificateAuthority.loadOrCreate(c.vertx(), c.hsm(), caDir(c.config()),
                                        sm2AcquirerRoot(acquirer), "acquirer " + acquirer + " SM2 root", 10)
                                .compose(sm2Acq -> identities.ensureSm2(sm2LoaderIdentity(acquirer), CertificateRole.KEY_LOADER, sm2Acq))
                                .map(sm2Loader -> {
                                    TransmissionKeyRepository tks = new TransmissionKeyRepository(c.db(), c.audit());
                                    TmkLifecycle tmks = new TmkLifecycle(c.keys(), c.audit());
                                    KmsHandlers k = new KmsHandlers(c.hsm(), kms, sm2Kms, tks, tmks, c.audit(),
                                            new ReplayWindow(c.db()), c.metrics(), PerKeyRate.configured(c, "kms_k2", Setting.KMS_K2_RATE),
                                            c.terminals());
                                    tms.put(TmsCode.K1, k::certificate);
                                    tms.put(TmsCode.K2, k::start);
                                    tms.put(TmsCode.K3, k::finish);
                                    tms.put(TmsCode.K4, k::installed);
                                    LoadingAuthorisations authorisations = new LoadingAuthorisations(c.db(), c.audit());
                                    LoaderHandlers l = new LoaderHandlers(c.vertx(), c.hsm(), loader, sm2Loader, tmks, c.audit(), c.terminals(),
                                            authorisations, devices, profile, PerKeyRate.configured(c, "loader_l2", Setting.LOADER_L2_RATE));
                                    tms.put(TmsCode.L1, l::hello);
                                    loadingRoutes.put(TmsCode.L1, l::hello);
                                    loadingRoutes.put(TmsCode.L2, l::exchange);
                                    loadingRoutes.put(TmsCode.L3, l::installed);
                                    new KmsAdminEndpoints(c.vertx(), c.hsm(), c.audit(), tks, cas[0].root(), kms, sm2Kms).mount(admin);
                                    X509Certificate caRoot = cas[0].root();
                                    new LoadingAuthorisationEndpoints(c.vertx(), authorisations, c.audit(),
                                            () -> tks.revokedSerials().map(revoked ->
                                                    new LoadingStatementVerifier(CertificateVerifier.trusting(caRoot, revoked))),
                                            ttl, ttlMax).mount(admin);
                                    return null;
                                }))))));
    }
}
