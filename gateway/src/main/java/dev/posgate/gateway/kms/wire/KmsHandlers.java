package dev.posgate.gateway.kms.wire;

import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.ReplayWindow;
import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsReplies;
import dev.posgate.gateway.platform.server.PerKeyRate;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.spi.SessionKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.KeyAlgorithm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.FlowRefusedException;
import dev.posgate.protocol.kms.KmsHostSession;
import dev.posgate.protocol.kms.KmsRequests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import dev.posgate.gateway.kms.store.KmsIdentity;
import dev.posgate.gateway.kms.store.Sm2KmsIdentity;
import dev.posgate.gateway.kms.store.TmkLifecycle;
import dev.posgate.gateway.kms.store.TransmissionKeyRecord;
import dev.posgate.gateway.kms.store.TransmissionKeyRepository;

/**
 * The KMS side of remote TMK download (CN103729940A, K1–K4, with the issue 13 amendments of
 * protocol.md section 3) — and its SM family for SM4 terminals (SM2 TK block opened by ZY, SM4
 * AUK proofs, SM4 TMK; docs/kms.md "K-flow with SM2"). Every secret step is an HSM command: ZI opens the TK block once (TEK and
 * AUK are then kept under the LMK), ZK gives the KMS's AUK proof and ZM checks the terminal's (one
 * key variant per direction), A0 generates the TMK and ZO encrypts it under TEK. The flow state of
 * the connection is a {@link KmsHostSession}.
 */
public final class KmsHandlers {
    private static final SessionKey<KmsHostSession<LmkKey>> SESSION_KEY = SessionKey.named("kms exchange");
    /** An 8-byte random collides with a recorded one about never; three draws bound the loop. */
    private static final int RND2_ATTEMPTS = 3;

    /** TEK and AUK of a serial's TK, under the LMK. */
    private record Opened(LmkKey tek, LmkKey auk) {}

    private final Hsm hsm;
    private final KmsIdentity kms;
    private final TransmissionKeyRepository tks;
    private final TmkLifecycle tmks;
    private final AuditLog audit;
    private final ReplayWindow randoms;
    private final GatewayMetrics metrics;
    private final PerKeyRate k2Rate;
    private final RandomSource random = RandomSource.secure();

    /** The terminal registry, to refuse SM4 terminals (null: not checked). */
    private final TerminalRepository terminals;
    private final Sm2KmsIdentity sm2Kms;

    public KmsHandlers(Hsm hsm, KmsIdentity kms, TransmissionKeyRepository tks, TmkLifecycle tmks, AuditLog audit,
            ReplayWindow randoms, GatewayMetrics metrics, PerKeyRate k2Rate) {
        this(hsm, kms, tks, tmks, audit, randoms, metrics, k2Rate, null);
    }

    /**
     * {@code terminals}: a registered terminal whose key profile does not match the K2's key family
     * (DF07 = 02 for SM4 terminals, docs/kms.md "K-flow with SM2") is refused {@code 58} (audited
     * {@code kms.k2.refuse}); so is a disabled terminal's (status SUSPENDED, issue 20).
     */
    public KmsHandlers(Hsm hsm, KmsIdentity kms, TransmissionKeyRepository tks, TmkLifecycle tmks, AuditLog audit,
            ReplayWindow randoms, GatewayMetrics metrics, PerKeyRate k2Rate, TerminalRepository terminals) {
        this(hsm, kms, null, tks, tmks, audit, randoms, metrics, k2Rate, terminals);
    }

    /** {@code sm2Kms}: the SM2 KMS identity K1 gives for DF07 = 02 (null: such a K1 is refused {@code 12}). */
    public KmsHandlers(Hsm hsm, KmsIdentity kms, Sm2KmsIdentity sm2Kms, TransmissionKeyRepository tks, TmkLifecycle tmks,
            AuditLog audit, ReplayWindow randoms, GatewayMetrics metrics, PerKeyRate k2Rate, TerminalRepository terminals) {
        this.sm2Kms = sm2Kms;
        this.terminals = terminals;
        this.hsm = hsm;
        this.kms = kms;
        this.tks = tks;
        this.tmks = tmks;
        this.audit = audit;
        this.randoms = randoms;
        this.metrics = metrics;
        this.k2Rate = k2Rate;
    }

    static KmsHostSession<LmkKey> state(SessionContext session) {
        return session.getOrCreate(SESSION_KEY, KmsHostSession::new);
    }

    /**
     * K1: the KMS working certificate, for any serial (it is public): the RSA one, or with DF07 =
     * 02 the SM2 one (SM3withSM2 under the SM2 root) an SM4 terminal's PIN pad encrypts its TK to.
     */
    public Future<Response> certificate(SessionContext session, TmsMessage request) {
        KmsRequests.K1 k1;
        try {
            k1 = KmsRequests.k1(request);
        } catch (FlowRefusedException e) {
            return KmsReplies.refusal(request, e);
        }
        if (k1.sm() && sm2Kms == null) {
            return Future.succeededFuture(KmsReplies.refuse(request, ResultCode.INVALID_TRANSACTION.code()));
        }
        return Future.succeededFuture(TmsReplies.body(request.header(), ResultCode.APPROVED,
                List.of(Tlv.of(Tags.CERTIFICATE, k1.sm() ? sm2Kms.certificateDer() : kms.certificateDer())), false));
    }

    /**
     * K2: the KMS proves it holds AUK (DF23 over Rnd1, ZK) and challenges the terminal with Rnd2.
     * Refused before any work when the serial is over its rate ({@code 12}); a Rnd1 the window
     * has seen, as a Rnd1 or as an Rnd2 this KMS issued, is a replay or a reflection ({@code 63}).
     * The TK block is opened (ZI, RSA) only by the serial's first K2.
     */
    public Future<Response> start(SessionContext session, TmsMessage request) {
        KmsHostSession<LmkKey> state = state(session);
        state.reset();
        KmsRequests.K2 k2;
        try {
            k2 = KmsRequests.k2(request);
        } catch (FlowRefusedException e) {
            return KmsReplies.refusal(request, e);
        }
        if (!k2Rate.admit(k2.sn())) {
            // counted by the rate, not audited: a flood of refusals must not become a flood of rows
            return Future.succeededFuture(KmsReplies.refuse(request, ResultCode.INVALID_TRANSACTION.code()));
        }
        return k2Refusal(k2.sn(), k2.sm())
                .compose(why -> {
                    if (why == null) return tks.find(k2.sn());
                    return audit.appendRefusal("kms", "kms.k2.refuse", k2.sn(), "REFUSED", new JsonObject()
                                    .put("code", ResultCode.NOT_PERMITTED_TO_TERMINAL.code()).put("reason", why))
                            .compose(v -> Future.<java.util.Optional<TransmissionKeyRecord>>failedFuture(
                                    new FlowRefusedException(ResultCode.NOT_PERMITTED_TO_TERMINAL.code(), why)));
                })
                .compose(found -> {
                    if (found.isEmpty()) throw new FlowRefusedException(ResultCode.NO_TK_ON_FILE.code(), "no TK on file");
                    TransmissionKeyRecord tk = found.get();
                    if (tk.snPinpad() != null && !tk.snPinpad().equals(k2.snPinpad())) {
                        throw new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(), "PIN pad serial mismatch");
                    }
                    return randoms.firstUse(ReplayWindow.Flow.KMS, k2.sn(), k2.rnd1()).compose(first -> {
                        if (!first) {
                            metrics.replayRefused("kms_random");
                            throw new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(), "Rnd1 seen before (replay or reflected Rnd2)");
                        }
                        return opened(tk).map(keys -> {
                            // the TK on file decides the family: an SM2 block gives SM4 TEK/AUK
                            boolean smTk = keys.auk().algorithm() == KeyAlgorithm.SM4;
                            if (smTk != k2.sm()) {
                                throw new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(),
                                        "key family " + (k2.sm() ? "SM" : "RSA/TDES") + " asked, the TK on file is " + (smTk ? "SM2/SM4" : "RSA/TDES"));
                            }
                            return keys;
                        });
                    });
                })
                .recover(e -> e instanceof HsmException h && "01".equals(h.errorCode())
                        ? Future.failedFuture(new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(), "TK block does not open"))
                        : Future.failedFuture(e))
                .compose(keys -> hsm.kmsAukProof(keys.auk(), k2.rnd1())
                        .compose(proof -> freshRnd2(k2.sn(), KmsRequests.randomLength(k2.sm()), RND2_ATTEMPTS).map(rnd2 -> {
                            state.started(new KmsHostSession.Started<>(k2.sn(), k2.keyIndex(), keys.tek(), keys.auk(), rnd2));
                            return TmsReplies.body(request.header(), ResultCode.APPROVED,
                                    List.of(Tlv.of(Tags.E_AUK_RND1, proof), Tlv.of(Tags.RND2, rnd2)), false);
                        })))
                .recover(e -> audited(request, k2.sn(), "kms.k2", e));
    }

    /**
     * Why a registered terminal's K2 is refused {@code 58}, or null: the SM4 profile, or disabled
     * by an operator (status not ACTIVE, {@code posgate terminal disable}).
     */
    private Future<String> k2Refusal(String sn, boolean sm) {
        if (terminals == null) return Future.succeededFuture(null);
        return terminals.findBySn(sn).map(t -> t.map(terminal -> terminal.sm4() != sm
                        ? (terminal.sm4() ? "SM4 terminal: its K-flow is the SM2 one (DF07 = 02)"
                                : "TDES terminal: its K-flow is the RSA one (no DF07 = 02)")
                        : terminal.status() != Terminal.Status.ACTIVE ? "terminal " + terminal.status() + ": disabled by an operator" : null)
                .orElse(null));
    }

    /** TEK and AUK under the LMK: as kept from an earlier K2, or opened now (ZI) and kept. */
    private Future<Opened> opened(TransmissionKeyRecord tk) {
        if (tk.opened()) return Future.succeededFuture(new Opened(tk.tek(), tk.auk()));
        Future<dev.posgate.hsm.TransmissionKeys> unwrapped;
        if (KmsRequests.sm2TkBlock(tk.tkBlock())) {
            if (sm2Kms == null) return Future.failedFuture(new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(), "no SM2 KMS key"));
            unwrapped = hsm.unwrapSm2TransmissionKey(sm2Kms.privateKey(), tk.tkBlock());
        } else {
            unwrapped = hsm.unwrapTransmissionKey(kms.privateKey(), tk.tkBlock());
        }
        return unwrapped
                .compose(keys -> tks.keepOpened(tk.sn(), tk.version(), keys.tek(), keys.auk())
                        .map(v -> new Opened(keys.tek(), keys.auk())));
    }

    /**
     * An Rnd2 recorded in the serial's replay window before it is sent, so that no connection can
     * present it back as its Rnd1 (the reflection that replaced a TMK without the AUK).
     */
    private Future<byte[]> freshRnd2(String sn, int length, int attempts) {
        byte[] rnd2 = random.next(length);
        return randoms.firstUse(ReplayWindow.Flow.KMS, sn, rnd2).compose(first -> {
            if (first) return Future.succeededFuture(rnd2);
            if (attempts > 1) return freshRnd2(sn, length, attempts - 1);
            return Future.failedFuture(new IllegalStateException("no unused Rnd2 for " + sn));
        });
    }

    /** K3: check the terminal's proof over Rnd2 (DF24, ZM), then issue a new TMK (PENDING) and send it under TEK. */
    public Future<Response> finish(SessionContext session, TmsMessage request) {
        KmsHostSession<LmkKey> state = state(session);
        KmsRequests.K3 k3;
        KmsHostSession.Started<LmkKey> started;
        try {
            k3 = KmsRequests.k3(request);
            started = state.takeStarted(k3.sn());
        } catch (FlowRefusedException e) {
            return KmsReplies.refusal(request, e);
        }
        return hsm.verifyTerminalAukProof(started.auk(), started.rnd2(), k3.aukRnd2())
                .compose(ok -> {
                    if (!ok) throw new FlowRefusedException(ResultCode.SECURITY_VIOLATION.code(), "terminal's AUK proof over Rnd2 does not match");
                    // an SM4 terminal's TEK is SM4: its TMK is an SM4 key, sent SM4-ECB under TEK (ZO)
                    return started.tek().algorithm() == KeyAlgorithm.SM4 ? hsm.generateSm4Key(KeyType.TMK) : hsm.generateKey(KeyType.TMK);
                })
                .compose(tmk -> hsm.tmkUnderTek(started.tek(), tmk.key())
                        .compose(out -> {
                            byte[] kcv = out.kcv().first(4);
                            return tmks.issue(started.sn(), started.keyIndex(), tmk.key(), kcv, "kms")
                                    .map(issued -> {
                                        state.issued(issued);
                                        return TmsReplies.body(request.header(), ResultCode.APPROVED, List.of(
                                                Tlv.of(Tags.TMK_CIPHER, out.key().cryptogram()), Tlv.of(Tags.KCV, kcv)), false);
                                    });
                        }))
                .recover(e -> audited(request, k3.sn(), "kms.k3", e));
    }

    /** K4: the terminal's KCV must be the stored one; then the new TMK becomes ACTIVE. */
    public Future<Response> installed(SessionContext session, TmsMessage request) {
        return TmkConfirmation.confirm(request, tmks, "kms", (sn, index) -> state(session).takeIssued(sn, index))
                .recover(e -> audited(request, null, "kms.k4", e));
    }

    private Future<Response> audited(TmsMessage request, String sn, String step, Throwable e) {
        if (e instanceof FlowRefusedException r && ResultCode.SECURITY_VIOLATION.is(r.status())) {
            return audit.appendRefusal("kms", step + ".refuse", sn, "REFUSED", new JsonObject().put("code", r.status())
                    .put("reason", r.getMessage())).compose(v -> KmsReplies.refusal(request, e));
        }
        return KmsReplies.refusal(request, e);
    }
}
