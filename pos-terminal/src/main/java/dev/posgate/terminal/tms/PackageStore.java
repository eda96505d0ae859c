package dev.posgate.terminal.tms;

import dev.posgate.protocol.tms.download.PackageDownload;
import dev.posgate.protocol.tms.download.PackageEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The terminal's storage: installed packages and partial downloads. It outlives connections, so a
 * download cut by a dropped connection resumes where it stopped after the next handshake.
 */
public final class PackageStore {
    private final Map<String, PackageEntry> installed = new LinkedHashMap<>();
    private final Map<String, byte[]> contents = new HashMap<>();
    private final Map<String, PackageDownload> partial = new HashMap<>();

    /** What D1 reports: the installed packages. */
    public synchronized List<PackageEntry> installed() {
        return new ArrayList<>(installed.values());
    }

    /** The download in progress for {@code entry} (same name, version and hash), or a new one. */
    public synchronized PackageDownload downloadFor(PackageEntry entry) {
        String key = entry.name() + '\u0000' + entry.version();
        PackageDownload d = partial.get(key);
        if (d == null || !d.entry().equals(entry)) {
            d = new PackageDownload(entry);
            partial.put(key, d);
        }
        return d;
    }

    /** Installs a verified download in place of the previous version of the package. */
    public synchronized void install(PackageDownload d) {
        if (!d.verified()) throw new IllegalStateException("not verified");
        partial.remove(d.entry().name() + '\u0000' + d.entry().version());
        installed.put(d.entry().name(), d.entry());
        contents.put(d.entry().name(), d.bytes());
    }

    /** Drops a failed download so the next attempt starts again from offset 0. */
    public synchronized void discard(PackageDownload d) {
        partial.remove(d.entry().name() + '\u0000' + d.entry().version());
    }

    /** The installed bytes of a package (null if none). */
    public synchronized byte[] contents(String name) {
        byte[] b = contents.get(name);
        return b == null ? null : b.clone();
    }
}
