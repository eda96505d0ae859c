package dev.posgate.gateway.tms.wire;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.gateway.spi.TmsReplies;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.hsm.GeneratedKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.Wrapping;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.TmsCipher;
import dev.posgate.protocol.tms.handshake.H2Request;
import dev.posgate.protocol.tms.handshake.H2Response;
import dev.posgate.protocol.tms.handshake.HostSession;
import dev.posgate.protocol.tms.handshake.KeyMessageEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2: the terminal's TAC verdict and SAC_1, checked in the HSM against S_DATA under the session's
 * DWK; then the key message. A failure answers {@code 63} and ends the session.
 */
public final class H2Handler implements TmsHandler {
    private static final Logger log = LoggerFactory.getLogger(H2Handler.class);

    private final Hsm hsm;
    private final KeyRepository keys;
    private final AuditLog audit;
    private final TmsSettings settings;

    public H2Handler(Hsm hsm, KeyRepository keys, AuditLog audit, TmsSettings settings) {
        this.hsm = hsm;
        this.keys = keys;
        this.audit = audit;
        this.settings = settings;
    }

    @Override
    public Future<Response> handle(SessionContext session, TmsMessage request) {
        HostSession<LmkKey, Terminal> state = TmsSessions.of(session);
        Response refused = TmsSessions.refusal(state, request);
        if (refused != null) return Future.succeededFuture(refused);
        H2Request h2 = H2Request.from(request);
        if (!h2.serial().equals(state.serial())) return refuse(state, request, "serial differs from H1");
        if (!h2.tacMatched()) return refuse(state, request, "terminal reports TAC mismatch");
        state.begin();
        // mode 03: SAC under the session TAK with M8 (standard); modes 01/02: ZU under the DWK
        Future<Boolean> sacOk = state.cipher().sessionKeys()
                ? hsm.verifyMac(KeyType.TAK, state.macKey(), H1Handler.TAC, state.sData().encode(), h2.sac())
                : hsm.verifyTac(state.dwk(), state.sData().encode(), h2.sac());
        return sacOk
                .compose(ok -> {
                    if (!ok) return refuse(state, request, "SAC mismatch");
                    // the session opens only once its record is written: no download without an audited handshake
                    return keyMessage(state).compose(entries -> audit.append("tms", "tms.handshake", state.serial(),
                                    ResultCode.APPROVED.code(), new JsonObject().put("keys", entries.size()))
                            .map(v -> {
                                state.authenticated();
                                return TmsReplies.body(request.header(), ResultCode.APPROVED, new H2Response(entries).toTlvs(), false);
                            }));
                })
                .onComplete(ar -> state.done());
    }

    /** A fresh TMK under the DWK, stored PENDING for the serial until the terminal confirms it. */
    private Future<List<KeyMessageEntry>> keyMessage(HostSession<LmkKey, Terminal> state) {
        if (!settings.sendTmk()) return Future.succeededFuture(List.of());
        // an SM4 session's key message carries an SM4 TMK under the SM4 DWK (WI flag 3)
        // mode 03: the DWK is a TMK-class key, so the new TMK comes under it with TMK flag 1 (standard A0)
        Future<GeneratedKey> generated = state.cipher() == TmsCipher.SM4
                ? hsm.generateSm4KeyUnder(KeyType.TMK, Wrapping.DWK, state.dwk())
                : state.cipher().sessionKeys()
                ? hsm.generateKeyUnder(KeyType.TMK, Wrapping.TMK, state.dwk())
                : hsm.generateKeyUnder(KeyType.TMK, Wrapping.DWK, state.dwk());
        return generated
                .compose(tmk -> keys.pool().withTransaction(tx -> keys.store(tx, KeyRecord.OwnerType.TERMINAL, state.serial(),
                                "TMK", settings.tmkIndex(), tmk.underLmk().toWire(), tmk.kcv().storedHex(), KeyRecord.State.PENDING)
                                // audited in the same transaction: no key version without its record
                                .compose(stored -> audit.append(tx, "tms", "tms.tmk.issue", state.serial(), "PENDING",
                                        new JsonObject().put("index", settings.tmkIndex()).put("version", stored.version())
                                                .put("kcv", tmk.kcv().storedHex()))))
                        .map(stored -> List.of(new KeyMessageEntry(KeyMessageEntry.KIND_TMK, settings.tmkIndex(),
                                tmk.underWrapping().cryptogram(), tmk.kcv().first(4)))));
    }

    private Future<Response> refuse(HostSession<LmkKey, Terminal> state, TmsMessage request, String why) {
        String serial = state.serial();
        state.fail();
        log.info("H2 refused for serial {}: {}", serial, why);
        return audit.appendRefusal("tms", "tms.h2", serial, ResultCode.SECURITY_VIOLATION.code(), new JsonObject().put("reason", why))
                .map(v -> TmsReplies.body(request.header(), ResultCode.SECURITY_VIOLATION, List.of(), true));
    }
}
