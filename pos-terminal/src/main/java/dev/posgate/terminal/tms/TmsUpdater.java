package dev.posgate.terminal.tms;

import dev.posgate.protocol.tms.download.FrameRequest;
import dev.posgate.protocol.tms.download.InstallReport;
import dev.posgate.protocol.tms.download.PackageDownload;
import dev.posgate.protocol.tms.download.PackageEntry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The download phase after a handshake: D1, then every offered package frame by frame from where
 * the {@link PackageStore} left it, SHA-256 check, install, D3. A package whose hash fails is
 * reported (D3 {@code 01}) and discarded.
 */
public final class TmsUpdater {
    /** What one session achieved. */
    public record Outcome(List<PackageEntry> installed, List<PackageEntry> failed, long bytes) {}

    private final TmsClient client;
    private final PackageStore store;
    private final int frameLength;
    private final List<PackageEntry> installed = new ArrayList<>();
    private final List<PackageEntry> failed = new ArrayList<>();
    private long bytes;

    public TmsUpdater(TmsClient client, PackageStore store, int frameLength) {
        this.client = client;
        this.store = store;
        this.frameLength = frameLength;
    }

    public Future<Outcome> run() {
        return client.report(store.installed()).compose(offer -> {
            Future<Void> chain = Future.succeededFuture();
            for (PackageEntry e : offer) chain = chain.compose(v -> download(store.downloadFor(e)));
            return chain.map(v -> new Outcome(List.copyOf(installed), List.copyOf(failed), bytes));
        });
    }

    private Future<Void> download(PackageDownload d) {
        FrameRequest next = d.next(frameLength);
        if (next == null) return finish(d);
        return client.frame(next).compose(reply -> {
            d.accept(reply);
            bytes += reply.data().length;
            return download(d);
        });
    }

    private Future<Void> finish(PackageDownload d) {
        PackageEntry e = d.entry();
        if (d.verified()) {
            store.install(d);
            installed.add(e);
            return client.installed(new InstallReport(e.name(), e.version(), InstallReport.INSTALLED));
        }
        store.discard(d);
        failed.add(e);
        return client.installed(new InstallReport(e.name(), e.version(), InstallReport.HASH_MISMATCH));
    }
}
