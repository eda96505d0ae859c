package dev.posgate.gateway.tms.store;

import dev.posgate.protocol.tms.download.PackageEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Packages as files, for vendors that drop builds into a directory:
 * {@code <root>/<vendor>/<model or _all>/<name>/<version>/package.bin}, with an optional
 * {@code kind} file holding 1, 2 or 3 (default 1, application). Every terminal of the vendor (and
 * model) is targeted; the newest version per name wins (versions compared as dotted numbers).
 * All file access runs on worker threads; SHA-256s are cached per file size and modification time.
 */
public final class FileSystemPackageRepository implements PackageRepository {
    static final String ALL_MODELS = "_all";
    static final String FILE = "package.bin";

    private record Stamp(long size, long modified, byte[] sha256) {}

    private final Vertx vertx;
    private final Path root;
    private final Map<Path, Stamp> hashes = new ConcurrentHashMap<>();

    public FileSystemPackageRepository(Vertx vertx, Path root) {
        this.vertx = vertx;
        this.root = root;
    }

    @Override
    public Future<Boolean> knowsVendor(String vendor) {
        return vertx.executeBlocking(() -> safe(vendor) && Files.isDirectory(root.resolve(vendor)), false);
    }

    @Override
    public Future<List<PackageInfo>> available(TerminalProfile t) {
        return vertx.executeBlocking(() -> scan(t, null, null), false);
    }

    @Override
    public Future<Optional<PackageInfo>> find(TerminalProfile t, String name, String version) {
        return vertx.executeBlocking(() -> scan(t, name, version).stream().findFirst(), false);
    }

    @Override
    public Future<byte[]> read(PackageInfo pkg, long offset, int length) {
        return vertx.executeBlocking(() -> {
            try (RandomAccessFile f = new RandomAccessFile(pkg.ref(), "r")) {
                long end = Math.min(f.length(), offset + length);
                byte[] out = new byte[(int) Math.max(0, end - offset)];
                f.seek(offset);
                f.readFully(out);
                return out;
            }
        }, false);
    }

    /** Newest version per name, or exactly {@code name}/{@code version} when given. */
    private List<PackageInfo> scan(TerminalProfile t, String name, String version) throws IOException {
        List<PackageInfo> out = new ArrayList<>();
        if (!safe(t.vendor()) || !safe(t.model()) || (name != null && (!safe(name) || !safe(version)))) return out;
        for (String model : List.of(t.model(), ALL_MODELS)) {
            Path dir = root.resolve(t.vendor()).resolve(model);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> names = Files.list(dir)) {
                for (Path n : names.filter(Files::isDirectory).toList()) {
                    if (name != null && !n.getFileName().toString().equals(name)) continue;
                    Optional<Path> v = name != null ? Optional.of(n.resolve(version)).filter(Files::isDirectory) : newest(n);
                    if (v.isPresent() && Files.isRegularFile(v.get().resolve(FILE))) out.add(info(n, v.get()));
                }
            }
            if (!out.isEmpty() && name != null) break;
        }
        return out;
    }

    private static Optional<Path> newest(Path nameDir) throws IOException {
        try (Stream<Path> versions = Files.list(nameDir)) {
            return versions.filter(p -> Files.isRegularFile(p.resolve(FILE)))
                    .max(Comparator.comparing(p -> p.getFileName().toString(), FileSystemPackageRepository::compareVersions));
        }
    }

    private PackageInfo info(Path nameDir, Path versionDir) throws IOException {
        Path file = versionDir.resolve(FILE);
        Path kindFile = versionDir.resolve("kind");
        int kind = Files.isRegularFile(kindFile) ? Integer.parseInt(Files.readString(kindFile).trim()) : PackageEntry.APPLICATION;
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        Stamp s = hashes.get(file);
        if (s == null || s.size() != size || s.modified() != modified) {
            s = new Stamp(size, modified, sha256(file));
            hashes.put(file, s);
        }
        return new PackageInfo(file.toString(), new PackageEntry(kind, nameDir.getFileName().toString(),
                versionDir.getFileName().toString(), size, s.sha256()));
    }

    private static byte[] sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream d = (DigestInputStream) in;
            d.transferTo(java.io.OutputStream.nullOutputStream());
            return d.getMessageDigest().digest();
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    /** A path segment from the wire must not climb out of the root. */
    private static boolean safe(String segment) {
        return segment != null && !segment.isEmpty() && !segment.equals(".") && !segment.equals("..")
                && segment.indexOf('/') < 0 && segment.indexOf('\\') < 0;
    }

    /** Dotted versions, numeric parts compared as numbers ("1.10" > "1.9"). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d{1,9}") && q.matches("\\d{1,9}") ? Integer.compare(Integer.parseInt(p), Integer.parseInt(q)) : p.compareTo(q);
            if (c != 0) return c;
        }
        return 0;
    }
}
