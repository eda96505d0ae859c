package dev.posgate.gateway.tms.wire;

import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.tms.store.PackageInfo;
import dev.posgate.gateway.tms.store.PackageRepositories;
import dev.posgate.gateway.tms.store.PackageRepository;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.download.PackageEntry;
import dev.posgate.protocol.tms.handshake.HostSession;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.posgate.gateway.tms.store.RolloutRepository;
import dev.posgate.gateway.tms.store.Terminals;

/**
 * D1: the terminal reports what it runs; the answer lists what it may download: the packages
 * targeted at it, less those it reports at the same version (recorded INSTALLED, so a terminal
 * shipped with the current version has no update pending). Unknown vendor: {@code B3}.
 */
public final class PackageReportHandler extends SealedHandler {
    private final PackageRepositories repositories;
    private final RolloutRepository rollout;

    public PackageReportHandler(HsmSeal seal, AuditLog audit, PackageRepositories repositories, RolloutRepository rollout) {
        super(seal, audit);
        this.repositories = repositories;
        this.rollout = rollout;
    }

    @Override
    Future<Outcome> handle(HostSession<LmkKey, Terminal> state, List<Tlv> request) {
        Set<String> installed = new HashSet<>();
        for (PackageEntry e : PackageEntry.fromList(BerTlv.require(request, Tags.PACKAGE_LIST))) {
            installed.add(e.name() + '\u0000' + e.version());
        }
        Terminal t = state.terminal();
        PackageRepository repo = repositories.forVendor(t.vendor());
        if (repo == null) return Future.succeededFuture(Outcome.status(ResultCode.PACKAGE_NOT_FOUND.code()));
        return repo.knowsVendor(t.vendor()).compose(known -> {
            if (!known) return Future.succeededFuture(Outcome.status(ResultCode.PACKAGE_NOT_FOUND.code()));
            return repo.available(Terminals.profile(t)).compose(available -> {
                List<PackageEntry> offer = new ArrayList<>();
                List<Future<Void>> writes = new ArrayList<>();
                for (PackageInfo p : available) {
                    PackageEntry e = p.entry();
                    if (installed.contains(e.name() + '\u0000' + e.version())) {
                        // the terminal runs it (installed at the factory, or its D3 was lost): nothing pending
                        writes.add(rollout.record(t.sn(), t.vendor(), e.name(), e.version(), RolloutRepository.Status.INSTALLED, null));
                        continue;
                    }
                    offer.add(e);
                    writes.add(rollout.record(t.sn(), t.vendor(), e.name(), e.version(), RolloutRepository.Status.OFFERED, null));
                }
                return Future.all(writes).map(v -> Outcome.sealed(List.of(PackageEntry.list(offer))));
            });
        });
    }
}
