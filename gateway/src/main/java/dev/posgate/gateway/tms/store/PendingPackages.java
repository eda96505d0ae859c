package dev.posgate.gateway.tms.store;

import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.spi.PendingUpdates;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;

/** {@link PendingUpdates} answered from the gateway's database and the configured package repositories. */
public final class PendingPackages {
    private PendingPackages() {}

    /** The query over the gateway's database and the configured package repositories. */
    public static PendingUpdates of(TerminalRepository terminals, PackageRepositories repositories, RolloutRepository rollout) {
        return new PendingUpdates() {
            @Override
            public Future<Boolean> hasPending(String tid) {
                return terminals.findByTid(tid).compose(found -> found.isEmpty()
                        ? Future.succeededFuture(false)
                        : hasPending(found.get()));
            }

            @Override
            public Future<Boolean> hasPending(Terminal t) {
                PackageRepository repo = repositories.forVendor(t.vendor());
                if (repo == null) return Future.succeededFuture(false);
                // nothing targeted (the usual answer): no second query for what is installed
                return repo.available(Terminals.profile(t)).compose(available -> available.isEmpty()
                        ? Future.succeededFuture(false)
                        : rollout.installed(t.sn(), t.vendor()).map(list -> {
                            HashSet<String> installed = new HashSet<>(list);
                            for (PackageInfo p : available) {
                                if (!installed.contains(p.entry().name() + '\u0000' + p.entry().version())) return true;
                            }
                            return false;
                        }));
            }
        };
    }
}
