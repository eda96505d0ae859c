package dev.posgate.gateway.tms.wire;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.download.InstallReport;
import dev.posgate.protocol.tms.handshake.HostSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import dev.posgate.gateway.tms.store.RolloutRepository;

/** D3: records the install outcome (rollout status and audit); answered with a bare {@code 00}. */
public final class InstallResultHandler extends SealedHandler {
    private final RolloutRepository rollout;
    private final AuditLog audit;

    public InstallResultHandler(HsmSeal seal, AuditLog audit, RolloutRepository rollout) {
        super(seal, audit);
        this.rollout = rollout;
        this.audit = audit;
    }

    @Override
    Future<Outcome> handle(HostSession<LmkKey, Terminal> state, List<Tlv> request) {
        InstallReport r = InstallReport.from(request);
        Terminal t = state.terminal();
        RolloutRepository.Status status = r.installed() ? RolloutRepository.Status.INSTALLED : RolloutRepository.Status.FAILED;
        return rollout.record(t.sn(), t.vendor(), r.name(), r.version(), status, r.result())
                .compose(v -> audit.append("tms", "tms.install", t.sn(), status.name(),
                        new JsonObject().put("package", r.name()).put("version", r.version()).put("result", r.result())))
                .map(v -> Outcome.status(ResultCode.APPROVED.code()));
    }
}
