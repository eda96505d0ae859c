package dev.posgate.gateway.tms.wire;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.tms.store.PackageRepositories;
import dev.posgate.gateway.tms.store.PackageRepository;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.download.FrameReply;
import dev.posgate.protocol.tms.download.FrameRequest;
import dev.posgate.protocol.tms.handshake.HostSession;
import io.vertx.core.Future;
import java.util.List;
import dev.posgate.gateway.tms.store.RolloutRepository;
import dev.posgate.gateway.tms.store.Terminals;

/**
 * D2: serves up to {@code min(DF38, tms.download.frame.max)} bytes from DF37, read through the
 * vendor's repository. Stateless between frames, so a terminal resumes at any offset after a new
 * handshake. An offset beyond the package is {@code 30}; an unknown package {@code B3}.
 */
public final class FrameHandler extends SealedHandler {
    private final PackageRepositories repositories;
    private final RolloutRepository rollout;
    private final int frameMax;

    public FrameHandler(HsmSeal seal, AuditLog audit, PackageRepositories repositories, RolloutRepository rollout, int frameMax) {
        super(seal, audit);
        this.repositories = repositories;
        this.rollout = rollout;
        this.frameMax = frameMax;
    }

    @Override
    Future<Outcome> handle(HostSession<LmkKey, Terminal> state, List<Tlv> request) {
        FrameRequest f = FrameRequest.from(request);
        Terminal t = state.terminal();
        PackageRepository repo = repositories.forVendor(t.vendor());
        if (repo == null) return Future.succeededFuture(Outcome.status(ResultCode.PACKAGE_NOT_FOUND.code()));
        return repo.find(Terminals.profile(t), f.name(), f.version()).compose(found -> {
            if (found.isEmpty()) return Future.succeededFuture(Outcome.status(ResultCode.PACKAGE_NOT_FOUND.code()));
            long size = found.get().entry().size();
            if (f.offset() > size || f.length() == 0) return Future.succeededFuture(Outcome.status(ResultCode.FORMAT_ERROR.code()));
            int length = Math.min(f.length(), frameMax);
            return repo.read(found.get(), f.offset(), length).compose(data -> {
                long end = f.offset() + data.length;
                // two writes per download, not one per frame: its start and its last byte
                Future<Void> progress = f.offset() == 0 && end < size
                        ? rollout.record(t.sn(), t.vendor(), f.name(), f.version(), RolloutRepository.Status.DOWNLOADING, null)
                        : end == size && data.length > 0
                        ? rollout.record(t.sn(), t.vendor(), f.name(), f.version(), RolloutRepository.Status.DOWNLOADED, null)
                        : Future.succeededFuture();
                return progress.map(v -> Outcome.sealed(new FrameReply(f.offset(), data).toTlvs()));
            });
        });
    }
}
