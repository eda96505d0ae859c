package dev.posgate.gateway.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin API's bearer token: the configured one, or one generated into the data
 * directory on first run (owner-readable only) so that a development gateway is never open.
 */
public final class AdminToken {
    private AdminToken() {}

    public static String resolve(String configured, Path dataDir) throws IOException {
        if (!configured.isEmpty()) return AdminTokenPolicy.check(configured);
        Path file = dataDir.resolve("admin.token");
        if (Files.exists(file)) return Files.readString(file, StandardCharsets.US_ASCII).trim();
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve("admin.token.tmp");
        Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the directory's permissions have to do
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return token;
    }
}
