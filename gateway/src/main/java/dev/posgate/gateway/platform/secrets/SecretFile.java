package dev.posgate.gateway.platform.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Secrets the embedded default generates on first run (admin token, database passwords, HSM
 * client credentials, keystore passwords): random hex in a file readable by the owner only, created
 * with that mode (never briefly readable). A file left by an older version with wider modes is
 * tightened when read, so upgrading closes the hole without regenerating anything.
 */
public final class SecretFile {
    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFile() {}

    /** The secret in {@code file}, or a new one of {@code bytes} random bytes (hex) written there. */
    public static String readOrCreate(Path file, int bytes) throws IOException {
        if (Files.exists(file)) {
            ownerOnly(file);
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        String secret = HexFormat.of().formatHex(raw);
        write(file, secret + "\n");
        return secret;
    }

    /** Writes {@code content} to {@code file} atomically, owner-only from the first byte on. */
    public static void write(Path file, String content) throws IOException {
        write(file, content.getBytes(StandardCharsets.US_ASCII));
    }

    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir); // its mode is the owner's business (DataDirectory tightens the gateway's own)
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix(dir)) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        }
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Creates {@code dir} if missing and makes it owner-only (0700). */
    public static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (posix(dir)) Files.setPosixFilePermissions(dir, OWNER_DIR);
    }

    /** Makes an existing file owner-only (0600); a missing one is left missing. */
    public static void ownerOnly(Path file) throws IOException {
        if (Files.exists(file) && posix(file)) Files.setPosixFilePermissions(file, OWNER_FILE);
    }

    private static boolean posix(Path p) {
        // not a POSIX file system (Windows): the directory's ACLs have to do
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
