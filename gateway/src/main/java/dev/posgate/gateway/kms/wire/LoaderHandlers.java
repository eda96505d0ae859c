package dev.posgate.gateway.kms.wire;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.platform.server.PerKeyRate;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsReplies;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.spi.SessionKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.KeyType;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.FlowRefusedException;
import dev.posgate.protocol.loader.LoaderHostSession;
import dev.posgate.protocol.loader.LoaderRequests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import dev.posgate.gateway.kms.store.KmsIdentity;
import dev.posgate.gateway.kms.store.Sm2KmsIdentity;
import dev.posgate.gateway.kms.store.LoadingAuthorisations;
import dev.posgate.gateway.kms.store.TmkLifecycle;

/**
 * The gateway as the acquirer's remote key loader (CN103729944A, L1–L3), served only on the
 * key-loading listener ({@code loader.port}, docs/kms.md). The loader key pair was generated in
 * the HSM; ZQ opens RSA_Pu(Rnd1 ‖ Rnd2), encrypts the new TMK under Rnd1 and signs Ctmk ‖ Rnd2
 * with the private key, all inside the HSM. L2 issues a TMK only for a registered serial
 * ({@code 97}) with an approved, unexpired loading authorisation it consumes in the transaction
 * that stores the TMK ({@code B4}), and checks the device certificate when the terminal sends one
 * or the loader profile requires it ({@code 63}). The cheap database checks come first, so a
 * stranger costs neither an RSA verification nor an HSM command.
 */
public final class LoaderHandlers {
    private static final SessionKey<LoaderHostSession> SESSION_KEY = SessionKey.named("key loader exchange");

    private final Vertx vertx;
    private final Hsm hsm;
    private final KmsIdentity loader;
    private final TmkLifecycle tmks;
    private final AuditLog audit;
    private final TerminalRepository terminals;
    private final LoadingAuthorisations authorisations;
    private final DeviceCertificates devices;
    private final DeviceCertificates.Profile profile;
    private final PerKeyRate l2Rate;
    /** The SM2 loader identity (SM4 terminals' L-flow); null: DF07 = 02 is refused {@code 12}. */
    private final Sm2KmsIdentity sm2Loader;

    public LoaderHandlers(Vertx vertx, Hsm hsm, KmsIdentity loader, TmkLifecycle tmks, AuditLog audit, TerminalRepository terminals,
            LoadingAuthorisations authorisations, DeviceCertificates devices, DeviceCertificates.Profile profile, PerKeyRate l2Rate) {
        this(vertx, hsm, loader, null, tmks, audit, terminals, authorisations, devices, profile, l2Rate);
    }

    /** {@code sm2Loader}: the SM2 key loader of the same acquirer (docs/kms.md, "L-flow with SM2"). */
    public LoaderHandlers(Vertx vertx, Hsm hsm, KmsIdentity loader, Sm2KmsIdentity sm2Loader, TmkLifecycle tmks, AuditLog audit,
            TerminalRepository terminals, LoadingAuthorisations authorisations, DeviceCertificates devices,
            DeviceCertificates.Profile profile, PerKeyRate l2Rate) {
        this.sm2Loader = sm2Loader;
        this.vertx = vertx;
        this.hsm = hsm;
        this.loader = loader;
        this.tmks = tmks;
        this.audit = audit;
        this.terminals = terminals;
        this.authorisations = authorisations;
        this.devices = devices;
        this.profile = profile;
        this.l2Rate = l2Rate;
    }

    private static LoaderHostSession state(SessionContext session) {
        return session.getOrCreate(SESSION_KEY, LoaderHostSession::new);
    }

    /** L1: AcquireWCRT, for any serial. */
    public Future<Response> hello(SessionContext session, TmsMessage request) {
        boolean sm;
        try {
            state(session).hello(LoaderRequests.l1(request));
            sm = dev.posgate.protocol.kms.KmsRequests.smFamily(request);
        } catch (FlowRefusedException e) {
            return KmsReplies.refusal(request, e);
        }
        if (sm && sm2Loader == null) return Future.succeededFuture(KmsReplies.refuse(request, ResultCode.INVALID_TRANSACTION.code()));
        return Future.succeededFuture(TmsReplies.body(request.header(), ResultCode.APPROVED,
                List.of(Tlv.of(Tags.CERTIFICATE, sm ? sm2Loader.certificateDer() : loader.certificateDer())), false));
    }

    /** L2: a new TMK, PENDING, sent as RSA_Prk(TDES(Rnd1, TMK) ‖ Rnd2). */
    public Future<Response> exchange(SessionContext session, TmsMessage request) {
        LoaderHostSession state = state(session);
        LoaderRequests.L2 l2;
        try {
            l2 = LoaderRequests.l2(request);
            state.requireHello(l2.sn());
        } catch (FlowRefusedException e) {
            return KmsReplies.refusal(request, e);
        }
        if (!l2Rate.admit(l2.sn())) {
            // counted by the rate, not audited: a flood of refusals must not become a flood of rows
            return Future.succeededFuture(KmsReplies.refuse(request, ResultCode.INVALID_TRANSACTION.code()));
        }
        JsonObject detail = new JsonObject().put("keyIndex", l2.keyIndex()).put("remote", session.remoteAddress());
        if (l2.sm() && sm2Loader == null) {
            return Future.succeededFuture(KmsReplies.refuse(request, ResultCode.INVALID_TRANSACTION.code()));
        }
        return terminals.findBySn(l2.sn())
                .compose(t -> t.isEmpty()
                        ? Future.failedFuture(new FlowRefusedException(ResultCode.NOT_REGISTERED.code(), "serial not registered"))
                        : t.get().sm4() != l2.sm()
                        ? Future.failedFuture(new FlowRefusedException(ResultCode.NOT_PERMITTED_TO_TERMINAL.code(),
                                "key family " + (l2.sm() ? "SM" : "RSA/TDES") + " does not match the terminal's profile"))
                        : authorisations.lookup(l2.sn()))
                .compose(found -> found == LoadingAuthorisations.Lookup.USABLE ? checkDevice(l2, detail)
                        : Future.failedFuture(new FlowRefusedException(ResultCode.NO_AUTHORISATION.code(),
                                "no loading authorisation (" + found.name().toLowerCase(java.util.Locale.ROOT) + ")")))
                // an SM4 terminal: SM4 TMK, SM2 block, Ctmk ‖ Rnd2 signed SM3withSM2 by the SM2 loader key (WQ)
                .compose(v -> l2.sm() ? hsm.generateSm4Key(KeyType.TMK) : hsm.generateKey(KeyType.TMK))
                .compose(tmk -> (l2.sm() ? hsm.sm2KeyLoaderExchange(sm2Loader.privateKey(), tmk.key(), l2.rsaBlock())
                                : hsm.keyLoaderExchange(loader.privateKey(), tmk.key(), l2.rsaBlock()))
                        .recover(e -> e instanceof HsmException h && "01".equals(h.errorCode())
                                ? Future.failedFuture(new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(),
                                        (l2.sm() ? "SM2" : "RSA") + " block does not open with the loader key"))
                                : Future.failedFuture(e))
                        .compose(x -> tmks.issue(l2.sn(), l2.keyIndex(), tmk.key(), x.tmkKcv().first(4), "loader",
                                        tx -> authorisations.consume(tx, l2.sn(), detail).compose(id -> id.isPresent() ? Future.succeededFuture()
                                                : Future.failedFuture(new FlowRefusedException(ResultCode.NO_AUTHORISATION.code(),
                                                        "loading authorisation used or expired meanwhile"))))
                                .map(issued -> {
                                    state.issued(issued);
                                    return TmsReplies.body(request.header(), ResultCode.APPROVED,
                                            List.of(Tlv.of(Tags.RSA_PRK_CTMK, x.signedBlock())), false);
                                })))
                .recover(e -> {
                    if (e instanceof FlowRefusedException r) {
                        return audit.appendRefusal("loader", "loader.l2.refuse", l2.sn(), r.status(),
                                detail.put("reason", r.getMessage())).compose(v -> KmsReplies.refusal(request, e));
                    }
                    return KmsReplies.refusal(request, e);
                });
    }

    /** The device proof, when sent or required; RSA off the event loop. */
    private Future<Void> checkDevice(LoaderRequests.L2 l2, JsonObject detail) {
        if (!l2.hasDeviceProof()) {
            return profile == DeviceCertificates.Profile.REQUIRED
                    ? Future.failedFuture(new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(), "device certificate required"))
                    : Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> devices.verify(l2.deviceCertificate(), l2.deviceSignature(), l2.rsaBlock(), l2.sn(),
                        Instant.now()), false)
                .map(serial -> {
                    detail.put("deviceCertificate", serial);
                    return null;
                });
    }

    /** L3: the terminal's KCV must match; then the new TMK becomes ACTIVE. */
    public Future<Response> installed(SessionContext session, TmsMessage request) {
        return TmkConfirmation.confirm(request, tmks, "loader", (sn, index) -> state(session).takeIssued(sn, index));
    }
}
