package dev.posgate.gateway.kms.wire;

import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.TmsReplies;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.FlowRefusedException;
import dev.posgate.protocol.kms.KmsHostSession;
import dev.posgate.protocol.kms.KmsRequests;
import io.vertx.core.Future;
import java.util.function.BiFunction;
import dev.posgate.gateway.kms.store.TmkLifecycle;

/** K4 and L3: the terminal reports the KCV of the TMK it installed; a match activates it atomically. */
final class TmkConfirmation {
    private TmkConfirmation() {}

    static Future<Response> confirm(TmsMessage request, TmkLifecycle tmks, String flow,
            BiFunction<String, Integer, KmsHostSession.Issued> takeIssued) {
        KmsRequests.Installed installed;
        KmsHostSession.Issued issued;
        try {
            installed = KmsRequests.installed(request);
            issued = takeIssued.apply(installed.sn(), installed.keyIndex());
        } catch (FlowRefusedException e) {
            return KmsReplies.refusal(request, e);
        }
        if (!KmsHostSession.kcvMatches(issued, installed.kcv())) {
            return tmks.mismatch(issued, installed.kcv(), flow)
                    .map(v -> KmsReplies.refuse(request, ResultCode.SECURITY_VIOLATION.code()));
        }
        return tmks.confirm(issued, flow).map(rec -> TmsReplies.status(request.header(), ResultCode.APPROVED));
    }
}
