package dev.posgate.gateway.platform.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds every secret of the embedded default: admin token, LMK, database
 * passwords, CA and TLS keystores and keys, HSM link credentials. On start it is made owner-only
 * (0700), as are the directories of keys in it, whose files become 0600: a data directory from an
 * older version, with 0644 keystores and a 0755 directory, is tightened before anything reads it.
 * The embedded PostgreSQL's own directory (pg/, which PostgreSQL keeps 0700 itself) and the package
 * repository (no secrets) are left alone.
 */
public final class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    /** Top-level files holding secrets. */
    static final List<String> SECRET_FILES = List.of("admin.token", "lmk.hex", "db-superuser.password", "db-app.password");
    /** Directories of keys and keystores: every file in them is owner-only. */
    static final List<String> KEY_DIRECTORIES = List.of("ca", "tls", "hsm-tls");

    private DataDirectory() {}

    public static void secure(Path dataDir) throws IOException {
        SecretFile.ownerOnlyDirectory(dataDir);
        for (String f : SECRET_FILES) SecretFile.ownerOnly(dataDir.resolve(f));
        for (String d : KEY_DIRECTORIES) {
            Path dir = dataDir.resolve(d);
            if (!Files.isDirectory(dir)) continue;
            SecretFile.ownerOnlyDirectory(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) SecretFile.ownerOnly(f);
                }
            }
        }
        log.debug("data directory {} is owner-only", dataDir.toAbsolutePath());
    }
}
