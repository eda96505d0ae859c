package dev.posgate.gateway.spi;

import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.tms.store.PackageInfo;
import dev.posgate.gateway.tms.store.PackageRepositories;
import dev.posgate.gateway.tms.store.PackageRepository;
import io.vertx.core.Future;
import java.util.HashSet;
import dev.posgate.gateway.tms.store.RolloutRepository;
import dev.posgate.gateway.tms.store.Terminals;

/**
 * For the POSP: whether a terminal has a TMS update pending, so that POS responses can carry
 * processing requirement {@code 6}. Pending = a package targeted at the terminal that it has not
 * reported INSTALLED with D3. Never fails for an unknown terminal (false).
 */
public interface PendingUpdates {

    Future<Boolean> hasPending(String tid);

    /** The query over the gateway's database and the configured package repositories. */
    static PendingUpdates of(TerminalRepository terminals, PackageRepositories repositories, RolloutRepository rollout) {
        return tid -> terminals.findByTid(tid).compose(found -> {
            if (found.isEmpty()) return Future.succeededFuture(false);
            var t = found.get();
            PackageRepository repo = repositories.forVendor(t.vendor());
            if (repo == null) return Future.succeededFuture(false);
            return Future.all(repo.available(Terminals.profile(t)), rollout.installed(t.sn(), t.vendor())).map(all -> {
                java.util.List<PackageInfo> available = all.resultAt(0);
                HashSet<String> installed = new HashSet<>(all.<java.util.List<String>>resultAt(1));
                for (PackageInfo p : available) {
                    if (!installed.contains(p.entry().name() + '\u0000' + p.entry().version())) return true;
                }
                return false;
            });
        });
    }
}
