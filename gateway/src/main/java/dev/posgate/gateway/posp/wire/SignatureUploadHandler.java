package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.posp.store.PospTerminals;
import dev.posgate.gateway.posp.store.PsamRegistry;
import dev.posgate.gateway.posp.store.Signatures;
import dev.posgate.gateway.posp.store.TerminalSession;
import dev.posgate.gateway.spi.PosHandler;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.protocol.posp.ElectronicSignature;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The electronic signature upload (docs/posp.md, "Electronic signature upload"): 0820, 60.1
 * {@code 07}, 60.3 {@code 800} (or a vendor's 0920 without 60.3), MACed both ways, answered 0830
 * (0930). The original is the terminal's
 * approved card transaction of STAN 11 in batch 60.2 (with the amount of 4 and the reference of 37
 * when they are sent): none is {@code 25}. Field 62 is the JBIG image (or one part of it, field 48
 * = part n3 + count n3); the first part must start with a JBIG header, else {@code 30}; 55 (the
 * slip's TLVs, FF00 merchant name required) on the first part, else {@code 30}. Parts in order
 * ({@code 12} for a gap or another count), the image at most {@code posp.signature.max.bytes}
 * ({@code 12}, the partial upload dropped); a repeat is {@code 00} and changes nothing, the same
 * whole transaction with another image {@code 94} (the first one stays). Kept at the acquirer, not
 * forwarded. The image is never logged.
 */
public final class SignatureUploadHandler implements PosHandler {
    private static final Logger log = LoggerFactory.getLogger(SignatureUploadHandler.class);

    private final MacedRequestGate gate;
    private final TerminalMacs macs;
    private final Signatures signatures;
    private final PospSettings settings;
    private final int maxBytes;

    public SignatureUploadHandler(PospTerminals terminals, PsamRegistry psam, TerminalMacs macs, Signatures signatures,
            PospSettings settings, int maxBytes) {
        this.macs = macs;
        this.signatures = signatures;
        this.settings = settings;
        this.maxBytes = maxBytes;
        this.gate = new MacedRequestGate(terminals, psam, macs, settings);
    }

    @Override
    public Future<Response> handle(SessionContext session, PosMessage request) {
        return gate.admit(request, (t, f60) -> upload(t, request, f60));
    }

    private Future<Response> upload(TerminalSession t, PosMessage request, Field60 f60) {
        ElectronicSignature.Part part;
        byte[] bytes;
        Long amount;
        byte[] slip = null;
        String characteristic = null;
        try {
            part = ElectronicSignature.Part.parse(request.field(48));
            bytes = request.binary(62);
            if (bytes == null || bytes.length == 0) throw new IllegalArgumentException("no field 62");
            amount = request.has(4) ? Long.parseLong(request.field(4)) : null;
            if (part.number() == 1) {
                List<ElectronicSignature.SlipItem> items = ElectronicSignature.parseSlip(request.binary(55));
                if (items.stream().noneMatch(i -> i.tag() == ElectronicSignature.MERCHANT_NAME)) {
                    throw new IllegalArgumentException("no merchant name (FF00) in 55");
                }
                slip = ElectronicSignature.encodeSlip(ElectronicSignature.kept(items));
                characteristic = ElectronicSignature.characteristicCode(request.field(15), request.field(37));
            }
        } catch (RuntimeException e) {
            log.info("signature upload of {} {}/{} refused 30: {}", t.tid(), f60.batch(), request.field(11), e.getMessage());
            return reply(t, request, ResultCode.FORMAT_ERROR);
        }
        if (part.number() == 1 && !ElectronicSignature.isJbig(bytes)) {
            log.info("signature upload of {} {}/{} refused 30: field 62 is not a JBIG image", t.tid(), f60.batch(), request.field(11));
            return reply(t, request, ResultCode.FORMAT_ERROR);
        }
        Signatures.Upload u = new Signatures.Upload(t.tid(), f60.batch(), request.field(11), amount, request.field(37),
                part.number(), part.count(), bytes, ElectronicSignature.CONTENT_TYPE, slip, characteristic);
        return signatures.receive(u, maxBytes).compose(outcome -> {
            ResultCode code = switch (outcome) {
                case PART_KEPT, COMPLETE, REPEAT -> ResultCode.APPROVED;
                case DIFFERENT -> ResultCode.DUPLICATE;
                case NO_ORIGINAL -> ResultCode.NO_SUCH_RECORD;
                case OUT_OF_ORDER, TOO_LARGE -> ResultCode.INVALID_TRANSACTION;
            };
            if (code != ResultCode.APPROVED || outcome == Signatures.Outcome.COMPLETE) {
                log.info("signature upload of {} {}/{} part {}/{}: {}", t.tid(), f60.batch(), request.field(11), part.number(),
                        part.count(), outcome);
            }
            return reply(t, request, code);
        });
    }

    private Future<Response> reply(TerminalSession t, PosMessage request, ResultCode code) {
        PosMessage reply = request.reply(ProcessingRequirement.NONE, 4, 15, 37, 48, 60);
        PospFields.stamp(reply, settings);
        reply.set(39, code.code());
        return macs.seal(t, reply).map(body -> Response.reply(body, code.code()));
    }
}
