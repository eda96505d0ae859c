package dev.posgate.gateway.posp;

import dev.posgate.gateway.spi.GatewayContext;
import dev.posgate.gateway.spi.GatewayModule;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.gateway.platform.server.PerKeyRate;
import dev.posgate.gateway.spi.PendingUpdates;
import dev.posgate.gateway.posp.upstream.AdviceQueue;
import dev.posgate.gateway.posp.store.AdviceVault;
import dev.posgate.gateway.posp.upstream.ReversalQueue;
import dev.posgate.gateway.posp.upstream.UpstreamLink;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.gateway.platform.db.PgNotifications;
import io.micrometer.core.instrument.FunctionCounter;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import dev.posgate.gateway.posp.admin.IcAdminRoutes;
import dev.posgate.gateway.posp.admin.KeyStatusRoutes;
import dev.posgate.gateway.posp.admin.PsamAdminRoutes;
import dev.posgate.gateway.posp.admin.PsamService;
import dev.posgate.gateway.posp.admin.SignatureAdminRoutes;
import dev.posgate.gateway.posp.store.Signatures;
import dev.posgate.gateway.posp.wire.SignatureUploadHandler;
import dev.posgate.protocol.posp.ElectronicSignature;
import dev.posgate.gateway.posp.store.BatchSettlements;
import dev.posgate.gateway.posp.store.IcEntry;
import dev.posgate.gateway.posp.store.IcParameters;
import dev.posgate.gateway.posp.store.InterruptedForwards;
import dev.posgate.gateway.posp.store.KeyProvisioning;
import dev.posgate.gateway.posp.store.PospTerminals;
import dev.posgate.gateway.posp.store.PsamRegistry;
import dev.posgate.gateway.posp.store.SystemKeys;
import dev.posgate.gateway.posp.store.TransactionJournal;
import dev.posgate.gateway.posp.upstream.HostForwarder;
import dev.posgate.gateway.posp.upstream.TrackProtection;
import dev.posgate.gateway.posp.wire.BatchUploadHandler;
import dev.posgate.gateway.posp.wire.DeferredWrites;
import dev.posgate.gateway.posp.wire.FinancialHandler;
import dev.posgate.gateway.posp.wire.IcParameterHandler;
import dev.posgate.gateway.posp.wire.MacedRequestGate;
import dev.posgate.gateway.posp.wire.PinTranslator;
import dev.posgate.gateway.posp.wire.PospSettings;
import dev.posgate.gateway.posp.wire.ReplySealer;
import dev.posgate.gateway.posp.wire.SettlementHandler;
import dev.posgate.gateway.posp.wire.SignOnAdmission;
import dev.posgate.gateway.posp.wire.SignOnHandler;
import dev.posgate.gateway.posp.wire.TerminalMacs;
import dev.posgate.gateway.posp.wire.TrackOpener;
import dev.posgate.gateway.posp.wire.TransactionKind;
import dev.posgate.gateway.posp.wire.WorkingKeyIssuer;

/**
 * The POSP (protocol.md section 2, CN101593389A): sign-on, purchase, balance inquiry, void,
 * reversal and settlement; the PSAM issuing and binding admin API; the upstream link with its
 * reversal queue. Choices: docs/posp.md.
 */
public final class PospModule implements GatewayModule {
    /** How long zone keys and the PSAM root key are cached before being read again. */
    private static final long SYSTEM_KEY_TTL_MS = 30_000;
    /** An unfinished transaction's journal write is retried every second for an hour. */
    private static final int DEFERRED_WRITE_ATTEMPTS = 3_600;

    private final Supplier<PendingUpdates> updates;
    private PsamRegistry registry;
    private PgNotifications notifications;
    private UpstreamLink upstream;
    private ReversalQueue reversals;
    private AdviceQueue advices;
    private InterruptedForwards interrupted;
    private DeferredWrites deferred;
    private IcParameters ic;

    /** {@code updates}: the TMS module's view of pending updates, installed before this module. */
    public PospModule(Supplier<PendingUpdates> updates) {
        this.updates = updates;
    }

    @Override
    public Future<Void> install(GatewayContext c, PosRoutes pos, Map<TmsCode, TmsHandler> tms, Router admin) {
        PospSettings settings = PospSettings.from(c.config());
        SystemKeys systemKeys = new SystemKeys(c.keys(), SYSTEM_KEY_TTL_MS);
        // one LISTEN connection for the PSAM bindings and the terminals' sign-on state kept in memory (issue 19)
        notifications = new PgNotifications(c.vertx(), c.db());
        PospTerminals terminals = new PospTerminals(c.db(), c.keys(), settings.tmkIndex(), settings.signOnGrace(), notifications);
        c.terminals().onChange(terminals::invalidate);
        FunctionCounter.builder("posgate_posp_session_cache_hits", terminals, PospTerminals::cacheHits)
                .description("Financial requests whose terminal session was this node's copy (no query)").register(c.metrics().registry());
        FunctionCounter.builder("posgate_posp_session_cache_loads", terminals, PospTerminals::cacheLoads)
                .description("Terminal sessions read from PostgreSQL").register(c.metrics().registry());
        c.metrics().registry().gauge("posgate_posp_sessions_cached", terminals, PospTerminals::cached);
        FunctionCounter.builder("posgate_posp_session_invalidations_heard", terminals, PospTerminals::invalidationsHeard)
                .description("Changed terminal sessions heard of by NOTIFY (posp_terminal_session)").register(c.metrics().registry());
        // the stored advices' DEK, generated in the HSM on the first start (docs/posp.md "Stored advices at rest")
        AdviceVault vault = new AdviceVault(c.hsm(), c.keys(), c.audit(), SYSTEM_KEY_TTL_MS);
        TransactionJournal journal = new TransactionJournal(c.db(), vault);
        TerminalMacs macs = new TerminalMacs(c.hsm());
        registry = new PsamRegistry(notifications, c.db());
        deferred = new DeferredWrites(c.vertx(), DEFERRED_WRITE_ATTEMPTS);
        if (!settings.upstreamHost().isEmpty()) {
            upstream = new UpstreamLink(c.vertx(), settings.upstreamHost(), settings.upstreamConnections(), settings.upstreamTimeout());
            // bounded by the sessions' in-flight caps; watched while the host is slow or stalled
            c.metrics().registry().gauge("posgate_upstream_requests_pending", upstream, UpstreamLink::pending);
            // 0 while the host is down or not yet reached (bin/posgate demo waits for it before its purchases)
            c.metrics().registry().gauge("posgate_upstream_connections_up", upstream, UpstreamLink::connectionsUp);
            reversals = new ReversalQueue(c.vertx(), c.db(), upstream, c.hsm(), () -> systemKeys.zak(settings.zone()),
                    settings.reversalRetry(), rev -> journal.markReversed(rev.field(41), rev.field60().batch(), rev.field(11)));
            advices = new AdviceQueue(c.vertx(), c.db(), upstream, c.hsm(), vault, () -> systemKeys.zak(settings.zone()),
                    settings.reversalRetry());
            // A live node closes a row within the upstream timeout plus the HSM commands on the
            // path (PIN translation, ZAK MAC, reply MAC check, terminal MAC); older ones are orphans.
            Duration staleAfter = settings.upstreamTimeout().plus(Duration.ofMillis(4L * c.config().integer(Setting.HSM_TIMEOUT)));
            interrupted = new InterruptedForwards(c.vertx(), c.db(), staleAfter, settings.reversalRetry());
        }

        ic = new IcParameters(c.db(), c.audit());
        SignOnHandler signOn = new SignOnHandler(c.terminals(), terminals, new WorkingKeyIssuer(c.hsm()),
                registry, systemKeys, settings, c.audit(), updates.get(),
                PerKeyRate.configured(c, "sign_on", Setting.POSP_SIGN_ON_RATE), SignOnAdmission.configured(c));
        BatchSettlements batches = new BatchSettlements(c.db());
        Signatures signatures = new Signatures(c.db());
        int signatureMax = c.config().integer(Setting.POSP_SIGNATURE_MAX_BYTES);
        if (signatureMax < 1 || signatureMax > 1_048_576) {
            throw new IllegalArgumentException(Setting.POSP_SIGNATURE_MAX_BYTES.key() + " must be 1..1048576, got " + signatureMax);
        }
        SignatureUploadHandler signatureUpload = new SignatureUploadHandler(terminals, registry, macs, signatures, settings, signatureMax);
        FinancialHandler.Steps steps = financialSteps(c, terminals, macs, journal, systemKeys, settings);
        pos.on("0800", null, "001", "sign_on_001", signOn)
                .on("0800", null, "003", "sign_on_003", signOn)
                .on("0800", null, "004", "sign_on_004", signOn)
                .on("0200", "22", null, "purchase", new FinancialHandler(TransactionKind.PURCHASE, steps))
                .on("0200", "01", null, "balance", new FinancialHandler(TransactionKind.BALANCE, steps))
                .on("0200", "23", null, "void", new FinancialHandler(TransactionKind.VOID, steps))
                .on("0100", "10", null, "preauth", new FinancialHandler(TransactionKind.PREAUTH, steps))
                .on("0100", "11", null, "preauth_cancel", new FinancialHandler(TransactionKind.PREAUTH_CANCEL, steps))
                .on("0200", "20", null, "preauth_completion", new FinancialHandler(
                        TransactionKind.completion(c.config().integer(Setting.POSP_PREAUTH_COMPLETION_TOLERANCE)), steps))
                .on("0200", "21", null, "completion_void", new FinancialHandler(TransactionKind.COMPLETION_VOID, steps))
                .on("0220", "25", null, "refund", new FinancialHandler(TransactionKind.REFUND, steps))
                .on("0220", "30", null, "offline_settlement", new FinancialHandler(TransactionKind.OFFLINE, steps))
                .on("0220", "32", null, "settlement_adjustment", new FinancialHandler(TransactionKind.ADJUSTMENT, steps))
                .on("0220", "34", null, "tip_adjustment", new FinancialHandler(TransactionKind.TIP_ADJUSTMENT, steps))
                .on("0620", null, null, "script_result", new FinancialHandler(TransactionKind.SCRIPT_RESULT, steps))
                .on("0320", null, "203", "tc_upload", new FinancialHandler(TransactionKind.TC_UPLOAD, steps))
                .on("0400", null, null, "reversal", new FinancialHandler(TransactionKind.REVERSAL, steps))
                .on("0500", null, "201", "settlement", new SettlementHandler(terminals, registry, macs, journal, c.hsm(), systemKeys,
                        upstream, settings, batches))
                .on("0320", null, "201", "batch_upload", new BatchUploadHandler(false, terminals, registry, macs, batches, settings))
                .on("0320", null, "202", "batch_upload_end", new BatchUploadHandler(true, terminals, registry, macs, batches, settings))
                // 60.1 07 with 60.3 800 (UnionPay's 0820), or without 60.3 (a vendor's 0920, docs/posp.md)
                .on("0820", ElectronicSignature.TYPE_CODE, null, "signature_upload", signatureUpload)
                .on("0920", ElectronicSignature.TYPE_CODE, null, "signature_upload_0920", signatureUpload);
        for (IcEntry.Kind kind : IcEntry.Kind.values()) {
            String name = kind == IcEntry.Kind.AID ? "ic_params" : "ic_capks";
            boolean aid = kind == IcEntry.Kind.AID;
            pos.on("0820", null, aid ? "382" : "372", name + "_status", new IcParameterHandler(kind, IcParameterHandler.Step.STATUS, c.terminals(), ic))
                    .on("0800", null, aid ? "380" : "370", name + "_download", new IcParameterHandler(kind, IcParameterHandler.Step.DOWNLOAD, c.terminals(), ic))
                    .on("0800", null, aid ? "381" : "371", name + "_download_end", new IcParameterHandler(kind, IcParameterHandler.Step.END, c.terminals(), ic));
        }
        IcAdminRoutes.mount(admin, ic);
        SignatureAdminRoutes.mount(admin, signatures, c.audit());
        KeyStatusRoutes.mount(admin, c.terminals(), c.db());
        PsamAdminRoutes.mount(admin, new PsamService(c.db(), c.hsm(), systemKeys, settings.psamRootOwner(), c.audit()),
                new KeyProvisioning(c.hsm(), c.keys(), c.audit()), settings);

        Future<Void> link = upstream == null ? Future.succeededFuture() : upstream.start();
        return vault.ensure().compose(v -> vault.sealStoredInClear(c.db())).compose(v -> notifications.start()).compose(v -> link).onSuccess(v -> {
            if (reversals != null) reversals.start();
            if (advices != null) advices.start();
            if (interrupted != null) interrupted.start();
        });
    }

    /** The purchase path's steps as they run in production: PostgreSQL journal, HSM, upstream link. */
    private FinancialHandler.Steps financialSteps(GatewayContext c, PospTerminals terminals, TerminalMacs macs,
            TransactionJournal journal, SystemKeys systemKeys, PospSettings settings) {
        UpstreamLink link = upstream;
        ReversalQueue queue = reversals;
        AdviceQueue adviceQueue = advices;
        return new FinancialHandler.Steps(
                new MacedRequestGate(terminals, registry, macs, settings),
                TrackOpener.withTdk(terminals, systemKeys, new TrackProtection(c.hsm()), settings),
                journal,
                PinTranslator.inHsm(c.hsm(), () -> systemKeys.zpk(settings.zone())),
                HostForwarder.over(link == null ? null : link::request, c.hsm(), () -> systemKeys.zak(settings.zone())),
                queue == null ? null : queue::enqueue,
                ReplySealer.withMak(macs, ic::requirementFor, settings),
                deferred,
                c.metrics(),
                settings.acquirerId(),
                adviceQueue == null ? null : adviceQueue::queued);
    }

    /** The advice queue (0220 store and forward), or null without an upstream host. */
    public AdviceQueue advices() {
        return advices;
    }

    /** The reversal queue, or null without an upstream host (tests trigger a scan through it). */
    public ReversalQueue reversals() {
        return reversals;
    }

    @Override
    public Future<Void> close() {
        if (reversals != null) reversals.stop();
        if (advices != null) advices.stop();
        if (interrupted != null) interrupted.stop();
        Future<Void> link = upstream == null ? Future.succeededFuture() : upstream.close();
        return link.eventually(() -> notifications == null ? Future.succeededFuture() : notifications.close());
    }
}
