package dev.posgate.gateway.tms.wire;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.gateway.spi.TmsReplies;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.handshake.HostSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common shape of D1/D2/D3: only after H2, sealed request opened under the session DWK (a
 * bad MAC ends the session), then the transaction, then either a sealed answer or a clear status.
 */
abstract class SealedHandler implements TmsHandler {
    private static final Logger log = LoggerFactory.getLogger(SealedHandler.class);

    /** What a transaction answers: TLVs to seal with status 00, or a bare status. */
    record Outcome(String status, List<Tlv> tlvs) {
        static Outcome sealed(List<Tlv> tlvs) {
            return new Outcome(ResultCode.APPROVED.code(), tlvs);
        }

        static Outcome status(String status) {
            return new Outcome(status, null);
        }
    }

    private final HsmSeal seal;
    private final AuditLog audit;

    SealedHandler(HsmSeal seal, AuditLog audit) {
        this.seal = seal;
        this.audit = audit;
    }

    abstract Future<Outcome> handle(HostSession<LmkKey, Terminal> state, List<Tlv> request);

    @Override
    public final Future<Response> handle(SessionContext session, TmsMessage request) {
        HostSession<LmkKey, Terminal> state = TmsSessions.of(session);
        Response refused = TmsSessions.refusal(state, request);
        if (refused != null) return Future.succeededFuture(refused);
        if (!request.isSealed() || !seal.admits(request.sealedBody().length)) {
            return Future.succeededFuture(TmsReplies.status(request.header(), ResultCode.FORMAT_ERROR));
        }
        return seal.open(state, request.sealedBody())
                .compose(tlvs -> handle(state, tlvs))
                .compose(out -> out.tlvs() == null
                        ? Future.succeededFuture(TmsReplies.status(request.header(), out.status()))
                        : seal.seal(state, out.tlvs()).map(body -> Response.reply(
                                TmsMessage.sealed(request.header().response(ResultCode.APPROVED.code()).withSealed(true), body).pack(),
                                ResultCode.APPROVED.code())))
                .recover(e -> {
                    if (!(e instanceof HsmSeal.BadSealException)) return Future.failedFuture(e);
                    String serial = state.serial();
                    state.fail();
                    log.info("{}: {} from serial {} refused: {}", session, request.header().code(), serial, e.getMessage());
                    return audit.appendRefusal("tms", "tms.sealed_body", serial, ResultCode.SECURITY_VIOLATION.code(),
                                    new JsonObject().put("code", request.header().code()).put("reason", e.getMessage()))
                            .map(v -> TmsReplies.body(request.header().withSealed(false),
                                    ResultCode.SECURITY_VIOLATION.code(), List.of(), true));
                });
    }
}
