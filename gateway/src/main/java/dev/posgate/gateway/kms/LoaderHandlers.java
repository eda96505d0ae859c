package dev.posgate.gateway.kms;

import dev.posgate.gateway.db.AuditLog;
import dev.posgate.gateway.routing.Response;
import dev.posgate.gateway.routing.ResponseCodes;
import dev.posgate.gateway.routing.TmsReplies;
import dev.posgate.gateway.server.SessionContext;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.KeyType;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.tms.kms.FlowRefusedException;
import dev.posgate.tms.loader.LoaderHostSession;
import dev.posgate.tms.loader.LoaderRequests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The gateway as the acquirer's remote key loader (CN103729944A, L1–L3). The loader key pair was
 * generated in the HSM; ZQ opens RSA_Pu(Rnd1 ‖ Rnd2), encrypts the new TMK under Rnd1 and signs
 * Ctmk ‖ Rnd2 with the private key, all inside the HSM.
 */
final class LoaderHandlers {
    private static final Object SESSION_KEY = LoaderHandlers.class;

    private final Hsm hsm;
    private final KmsIdentity loader;
    private final TmkLifecycle tmks;
    private final AuditLog audit;

    LoaderHandlers(Hsm hsm, KmsIdentity loader, TmkLifecycle tmks, AuditLog audit) {
        this.hsm = hsm;
        this.loader = loader;
        this.tmks = tmks;
        this.audit = audit;
    }

    private static LoaderHostSession state(SessionContext session) {
        return (LoaderHostSession) session.attributes().computeIfAbsent(SESSION_KEY, k -> new LoaderHostSession());
    }

    /** L1: AcquireWCRT, for any serial. */
    Future<Response> hello(SessionContext session, TmsMessage request) {
        try {
            state(session).hello(LoaderRequests.l1(request));
        } catch (FlowRefusedException e) {
            return KmsReplies.refusal(request, e);
        }
        return Future.succeededFuture(TmsReplies.body(request.header(), ResponseCodes.APPROVED,
                List.of(Tlv.of(Tags.CERTIFICATE, loader.certificateDer())), false));
    }

    /** L2: a new TMK, PENDING, sent as RSA_Prk(TDES(Rnd1, TMK) ‖ Rnd2). */
    Future<Response> exchange(SessionContext session, TmsMessage request) {
        LoaderHostSession state = state(session);
        LoaderRequests.L2 l2;
        try {
            l2 = LoaderRequests.l2(request);
            state.requireHello(l2.sn());
        } catch (FlowRefusedException e) {
            return KmsReplies.refusal(request, e);
        }
        return hsm.generateKey(KeyType.TMK)
                .compose(tmk -> hsm.keyLoaderExchange(loader.privateKey(), tmk.key(), l2.rsaBlock())
                        .recover(e -> e instanceof HsmException h && "01".equals(h.errorCode())
                                ? Future.failedFuture(new FlowRefusedException(ResponseCodes.SECURITY_VIOLATION,
                                        "RSA block does not open with the loader key"))
                                : Future.failedFuture(e))
                        .compose(x -> tmks.issue(l2.sn(), l2.keyIndex(), tmk.key(), x.tmkKcv().first(4), "loader")
                                .map(issued -> {
                                    state.issued(issued);
                                    return TmsReplies.body(request.header(), ResponseCodes.APPROVED,
                                            List.of(Tlv.of(Tags.RSA_PRK_CTMK, x.signedBlock())), false);
                                })))
                .recover(e -> {
                    if (e instanceof FlowRefusedException r) {
                        return audit.appendRefusal("loader", "loader.l2.refuse", l2.sn(), "REFUSED",
                                new JsonObject().put("reason", r.getMessage())).compose(v -> KmsReplies.refusal(request, e));
                    }
                    return KmsReplies.refusal(request, e);
                });
    }

    /** L3: the terminal's KCV must match; then the new TMK becomes ACTIVE. */
    Future<Response> installed(SessionContext session, TmsMessage request) {
        return TmkConfirmation.confirm(request, tmks, "loader", (sn, index) -> state(session).takeIssued(sn, index));
    }
}
