package dev.posgate.gateway.platform.routing;

import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.spi.SessionKey;
import dev.posgate.iso8583.FormatException;
import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.pos.PosDialect;
import dev.posgate.iso8583.pos.PosFormatException;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.handshake.SeqWindow;
import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.posgate.gateway.spi.Dispatcher;
import dev.posgate.gateway.spi.Identifiers;
import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.PosRoutes;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsHandler;
import dev.posgate.gateway.spi.TmsReplies;

/**
 * Decodes a frame body of either family, finds its route and turns every outcome into a
 * response: a message that parses is always answered ({@code 12} when nothing handles it,
 * {@code 30} for a format error inside a TMS body, {@code 96} when a handler fails). A POS request
 * whose TPDU, header, MTI and bitmap parse but a field does not is answered {@code 30} without a
 * MAC (protocol.md 2.1: a terminal cut off mid-purchase retries and reverses); a message that
 * cannot be attributed closes the connection, since nothing in it can be trusted to reply to.
 */
public final class GatewayDispatcher implements Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(GatewayDispatcher.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private static final Set<TmsCode> DOWNLOAD_PHASE = EnumSet.of(TmsCode.D1, TmsCode.D2, TmsCode.D3);
    private static final Set<TmsCode> KEY_FLOWS =
            EnumSet.of(TmsCode.K1, TmsCode.K2, TmsCode.K3, TmsCode.K4, TmsCode.L1, TmsCode.L2, TmsCode.L3);
    private static final SessionKey<SeqWindow> KEY_FLOW_SEQS = SessionKey.named("key flow seqs");

    private final PosRoutes posRoutes;
    private final Map<TmsCode, TmsHandler> tmsRoutes;
    private final GatewayMetrics metrics;
    private final PosDialect posDialect;
    private final FailureLog failures = new FailureLog(log, FAILURE_LOG_INTERVAL_NANOS);

    public GatewayDispatcher(PosRoutes posRoutes, Map<TmsCode, TmsHandler> tmsRoutes, GatewayMetrics metrics) {
        this(posRoutes, tmsRoutes, metrics, PosDialect.APP_HEADER);
    }

    /** {@code posDialect}: how POS bodies are laid out on this dispatcher's listeners (listener.app.header). */
    public GatewayDispatcher(PosRoutes posRoutes, Map<TmsCode, TmsHandler> tmsRoutes, GatewayMetrics metrics,
            PosDialect posDialect) {
        this.posDialect = posDialect;
        this.posRoutes = posRoutes;
        this.tmsRoutes = new EnumMap<>(TmsCode.class);
        this.tmsRoutes.putAll(tmsRoutes);
        this.metrics = metrics;
    }

    @Override
    public Future<Routed> dispatch(SessionContext session, Family family, byte[] body) {
        try {
            return family == Family.ISO8583 ? dispatchPos(session, body) : dispatchTms(session, body);
        } catch (RuntimeException e) {
            log.error("{}: unexpected failure while dispatching", session, e);
            return Future.succeededFuture(new Routed("internal", Response.close("internal_error")));
        }
    }

    // ---------------------------------------------------------------------------------------- POS

    private Future<Routed> dispatchPos(SessionContext session, byte[] body) {
        PosMessage request;
        try {
            request = PosMessage.unpack(body, posDialect);
        } catch (PosFormatException e) {
            metrics.decodeError(e.label());
            if (e.attributable() && e.partial().isRequest()) {
                metrics.posFormatError(true, e.field());
                log.info("{}: ISO8583 {} with a format error ({} field {}), answered 30", session, e.partial().mti(),
                        e.label(), e.field());
                return Future.succeededFuture(new Routed("format_error",
                        PosReplies.formatError(e.partial())));
            }
            metrics.posFormatError(false, e.field());
            log.info("{}: unparseable ISO8583 message ({} field {}), closing", session, e.label(), e.field());
            return Future.succeededFuture(new Routed("malformed", Response.close(e.label())));
        }
        if (!request.isRequest()) {
            metrics.decodeError("unexpected_response");
            return Future.succeededFuture(new Routed("malformed", Response.close("unexpected_response")));
        }
        int badField = Identifiers.badPosField(request);
        if (badField != 0) {
            metrics.decodeError("bad_identifier");
            // the value is logged escaped (%safeMsg) and not echoed in the answer
            log.info("{}: field {} is not printable ASCII ({}), answered 30", session, badField, request.field(badField));
            return Future.succeededFuture(new Routed("malformed", PosReplies.send(request.reply(ProcessingRequirement.NONE, 60)
                    .unset(41, 42).set(39, ResultCode.FORMAT_ERROR.code()))));
        }
        PosRoutes.Route route;
        try {
            route = posRoutes.find(request);
        } catch (FormatException e) { // e.g. a field 60 too short to hold 60.1-60.3
            metrics.decodeError(e.label());
            return Future.succeededFuture(new Routed("malformed", PosReplies.code(request, ResultCode.FORMAT_ERROR)));
        }
        if (route == null) {
            return Future.succeededFuture(new Routed("unknown", PosReplies.code(request, ResultCode.INVALID_TRANSACTION)));
        }
        return invoke(session, route.name(), () -> route.handler().handle(session, request),
                code -> PosReplies.code(request, code));
    }

    // ---------------------------------------------------------------------------------------- TMS

    private Future<Routed> dispatchTms(SessionContext session, byte[] body) {
        TmsHeader header;
        try {
            header = TmsHeader.parse(body);
        } catch (FormatException e) {
            metrics.decodeError(e.label());
            log.info("{}: unparseable TMS header ({}), closing", session, e.label());
            return Future.succeededFuture(new Routed("tms_malformed", Response.close(e.label())));
        }
        if (header.isResponse()) {
            metrics.decodeError("unexpected_response");
            return Future.succeededFuture(new Routed("tms_malformed", Response.close("unexpected_response")));
        }
        TmsCode code = header.tmsCode();
        TmsHandler handler = code == null ? null : tmsRoutes.get(code);
        String type = code == null || handler == null ? "tms_unknown" : "tms_" + code.name().toLowerCase(Locale.ROOT);
        TmsMessage request;
        try {
            request = TmsMessage.unpack(body);
        } catch (FormatException e) {
            metrics.decodeError(e.label());
            return Future.succeededFuture(new Routed(type, TmsReplies.status(header, ResultCode.FORMAT_ERROR)));
        }
        if (handler == null) {
            return Future.succeededFuture(new Routed(type, TmsReplies.status(header, ResultCode.INVALID_TRANSACTION)));
        }
        if (header.isSealed() && !DOWNLOAD_PHASE.contains(code)) {
            // only D1-D3 have a sealed form; the handlers of the others would read TLVs that are not there
            metrics.decodeError("sealed_flag");
            return Future.succeededFuture(new Routed(type, TmsReplies.status(header, ResultCode.FORMAT_ERROR)));
        }
        if (KEY_FLOWS.contains(code) && !keyFlowSeqs(session).firstUse(header.seq())) {
            // the TMS codes (H*, D*) check their seq in their session, after their order
            return Future.succeededFuture(new Routed(type, TmsReplies.status(header, ResultCode.DUPLICATE)));
        }
        return invoke(session, type, () -> handler.handle(session, request), status -> TmsReplies.status(header, status));
    }

    /** The seqs used by K and L requests on this connection (protocol.md section 3: a repeated seq is {@code 94}). */
    private static SeqWindow keyFlowSeqs(SessionContext session) {
        return session.getOrCreate(KEY_FLOW_SEQS, SeqWindow::new);
    }

    /**
     * Runs a handler and turns its failure into an answer: a format error found while handling
     * (a missing mandatory tag, a bad field) is {@code 30}, anything else {@code 96}.
     */
    private Future<Routed> invoke(SessionContext session, String type, Supplier<Future<Response>> handler,
            Function<String, Response> answer) {
        Future<Response> handled;
        try {
            handled = handler.get();
        } catch (RuntimeException e) {
            handled = Future.failedFuture(e);
        }
        if (handled.succeeded()) {
            // answered at once (an echo, a refusal): no recover/map futures and listeners per request
            return Future.succeededFuture(new Routed(type, handled.result()));
        }
        return handled
                .recover(e -> {
                    if (e instanceof FormatException f) {
                        metrics.decodeError(f.label());
                        return Future.succeededFuture(answer.apply(ResultCode.FORMAT_ERROR.code()));
                    }
                    failures.failed(session, type, e, System.nanoTime());
                    return Future.succeededFuture(answer.apply(ResultCode.SYSTEM_MALFUNCTION.code()));
                })
                .map(r -> new Routed(type, r));
    }
}
