package dev.posgate.gateway.tms.wire;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.ReplayWindow;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.gateway.spi.TmsReplies;
import dev.posgate.gateway.platform.server.PerKeyRate;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.hsm.GeneratedKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.hsm.MacParams;
import dev.posgate.crypto.PaddingMethod;
import dev.posgate.hsm.Wrapping;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.TmsCipher;
import dev.posgate.protocol.tms.handshake.FreshnessGuard;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.H1Response;
import dev.posgate.protocol.tms.handshake.HostSession;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.tms.store.DmkStore;

/**
 * H1: checks T_DATA (registered serial with a DMK, clock skew, random not replayed), has the HSM
 * generate a DWK under the LMK and the DMK, computes TAC_1 in the HSM and keeps the DWK and S_DATA
 * in the session for H2. Any refusal ends the session. A serial over tms.h1.rate is answered
 * {@code 12} before any database or HSM work (each H1 costs a DWK generation and a TAC).
 */
public final class H1Handler implements TmsHandler {
    private static final Logger log = LoggerFactory.getLogger(H1Handler.class);

    private final TerminalRepository terminals;
    private final DmkStore dmks;
    private final Hsm hsm;
    private final FreshnessGuard freshness;
    private final ReplayWindow randoms;
    private final AuditLog audit;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final RandomSource random;
    private final PerKeyRate h1Rate;
    private final boolean sessionKeys;

    /** TAC_1 / SAC in mode 03: ISO 9797-1 algorithm 1 (the TAC's CBC-MAC), zero padding, leftmost 4 bytes. */
    static final MacParams TAC = new MacParams(MacAlgorithm.ISO9797_ALG1, PaddingMethod.METHOD_1, 4);

    public H1Handler(TerminalRepository terminals, DmkStore dmks, Hsm hsm, FreshnessGuard freshness, ReplayWindow randoms,
            AuditLog audit, GatewayMetrics metrics, Clock clock, RandomSource random, PerKeyRate h1Rate) {
        this(terminals, dmks, hsm, freshness, randoms, audit, metrics, clock, random, h1Rate, false);
    }

    /** With {@code sessionKeys}: TDES terminals get TMS protocol version 2 (mode 03), for an HSM of standard commands only. */
    public H1Handler(TerminalRepository terminals, DmkStore dmks, Hsm hsm, FreshnessGuard freshness, ReplayWindow randoms,
            AuditLog audit, GatewayMetrics metrics, Clock clock, RandomSource random, PerKeyRate h1Rate, boolean sessionKeys) {
        this.sessionKeys = sessionKeys;
        this.terminals = terminals;
        this.dmks = dmks;
        this.hsm = hsm;
        this.freshness = freshness;
        this.randoms = randoms;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
        this.h1Rate = h1Rate;
    }

    @Override
    public Future<Response> handle(SessionContext session, TmsMessage request) {
        HostSession<LmkKey, Terminal> state = TmsSessions.of(session);
        Response refused = TmsSessions.refusal(state, request);
        if (refused != null) return Future.succeededFuture(refused);
        H1Request h1 = H1Request.from(request);
        if (!h1Rate.admit(h1.serial())) {
            // counted by the rate, neither logged nor audited per refusal
            state.fail();
            return Future.succeededFuture(TmsReplies.body(request.header(), ResultCode.INVALID_TRANSACTION, java.util.List.of(), true));
        }
        state.begin();
        return terminals.findBySn(h1.serial())
                .compose(t -> t.isEmpty() || t.get().status() != Terminal.Status.ACTIVE
                        ? refuse(state, request, h1, ResultCode.NOT_REGISTERED.code(), "unknown serial")
                        : dmks.active(h1.serial()).compose(dmk -> check(session, state, request, h1, t.get(), dmk)))
                .onComplete(ar -> state.done());
    }

    private Future<Response> check(SessionContext session, HostSession<LmkKey, Terminal> state, TmsMessage request,
            H1Request h1, Terminal terminal, Optional<LmkKey> dmk) {
        if (dmk.isEmpty()) return refuse(state, request, h1, ResultCode.NOT_REGISTERED.code(), "no DMK");
        if ((dmk.get().algorithm() == KeyAlgorithm.SM4) != terminal.sm4()) {
            // e.g. the profile was changed to SM4 and no SM4 DMK provisioned yet: no handshake in the other family
            return refuse(state, request, h1, ResultCode.SECURITY_VIOLATION.code(), "DMK algorithm differs from the key profile");
        }
        if (!terminal.vendor().equals(h1.vendor()) || !terminal.model().equals(h1.model())) {
            return refuse(state, request, h1, ResultCode.SECURITY_VIOLATION.code(), "vendor or model differs from registration");
        }
        if (sessionKeys && !terminal.sm4() && h1.protocolVersion() < 2) {
            // version 1 needs the DWK as MAC and data key, which only posgate's extensions (ZS ZU Z0 Z2) serve
            return refuse(state, request, h1, ResultCode.INVALID_TRANSACTION.code(),
                    "TMS protocol version 1 needs hsm.profile=posgate; this gateway speaks version 2");
        }
        LocalDateTime now = LocalDateTime.now(clock);
        if (!freshness.inWindow(h1.tData(), now)) {
            metrics.replayRefused("tms_clock");
            return refuse(state, request, h1, ResultCode.SECURITY_VIOLATION.code(), "clock_skew");
        }
        return randoms.firstUse(ReplayWindow.Flow.TMS, h1.serial(), h1.tData().random()).compose(first -> {
            if (first) return challenge(session, state, request, h1, terminal, dmk.get(), now);
            metrics.replayRefused("tms_random");
            return refuse(state, request, h1, ResultCode.SECURITY_VIOLATION.code(), "replayed");
        });
    }

    private Future<Response> challenge(SessionContext session, HostSession<LmkKey, Terminal> state, TmsMessage request,
            H1Request h1, Terminal terminal, LmkKey dmk, LocalDateTime now) {
        StampedRandom sData = new StampedRandom(random.next(4), now);
        if (sessionKeys && !terminal.sm4()) return challengeWithSessionKeys(session, state, request, h1, terminal, dmk, sData);
        TmsCipher cipher = terminal.sm4() ? TmsCipher.SM4 : TmsCipher.TDES;
        // SM4 (protocol.md section 5): WI flag 2, an SM4 DWK under the SM4 DMK; ZS then MACs with SM4
        Future<GeneratedKey> generated = cipher == TmsCipher.SM4
                ? hsm.generateSm4KeyUnder(KeyType.DWK, Wrapping.DMK, dmk)
                : hsm.generateKeyUnder(KeyType.DWK, Wrapping.DMK, dmk);
        return generated
                .compose(dwk -> hsm.tac(dwk.underLmk(), h1.tData().encode()).map(tac -> {
                    state.challenged(h1.serial(), terminal, dwk.underLmk(), sData, cipher);
                    log.debug("{}: H1 accepted for serial {}", session, h1.serial());
                    H1Response r = new H1Response(sData, tac, dwk.underWrapping().cryptogram(), cipher);
                    return TmsReplies.body(request.header(), ResultCode.APPROVED, r.toTlvs(), false);
                }));
    }

    /**
     * Mode 03 (TMS protocol version 2, docs/tms.md "Session keys"), standard payShield commands only:
     * the DMK is held as a ZMK; the DWK is a TMK-class key generated under it (A0 mode 1, ZMK flag 0,
     * type 002); the session TAK (003) and DEK (00B) are generated under the DWK (A0 mode 1, TMK flag 1)
     * and sent to the terminal in DF18/DF19; TAC_1 = M6 algorithm 1 under the TAK. The DWK only ever
     * wraps keys.
     */
    private Future<Response> challengeWithSessionKeys(SessionContext session, HostSession<LmkKey, Terminal> state,
            TmsMessage request, H1Request h1, Terminal terminal, LmkKey dmk, StampedRandom sData) {
        return hsm.generateKeyUnder(KeyType.TMK, Wrapping.ZMK, dmk).compose(dwk ->
                hsm.generateKeyUnder(KeyType.TAK, Wrapping.TMK, dwk.underLmk()).compose(tak ->
                        hsm.generateKeyUnder(KeyType.DEK, Wrapping.TMK, dwk.underLmk()).compose(dek ->
                                hsm.generateMac(KeyType.TAK, tak.underLmk(), TAC, h1.tData().encode()).map(tac -> {
                                    state.challenged(h1.serial(), terminal, dwk.underLmk(), sData, TmsCipher.TDES_SESSION_KEYS);
                                    state.sessionKeys(tak.underLmk(), dek.underLmk());
                                    log.debug("{}: H1 (version 2) accepted for serial {}", session, h1.serial());
                                    H1Response r = new H1Response(sData, tac, dwk.underWrapping().cryptogram(),
                                            TmsCipher.TDES_SESSION_KEYS, tak.underWrapping().cryptogram(), dek.underWrapping().cryptogram());
                                    return TmsReplies.body(request.header(), ResultCode.APPROVED, r.toTlvs(), false);
                                }))));
    }

    private Future<Response> refuse(HostSession<LmkKey, Terminal> state, TmsMessage request, H1Request h1, String code, String why) {
        state.fail();
        log.info("H1 refused for serial {}: {} ({})", h1.serial(), code, why);
        return audit.appendRefusal("tms", "tms.h1", h1.serial(), code, new JsonObject().put("reason", why))
                .map(v -> TmsReplies.body(request.header(), code, java.util.List.of(), true));
    }
}
