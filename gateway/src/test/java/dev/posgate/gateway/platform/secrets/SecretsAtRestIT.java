package dev.posgate.gateway.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.support.GatewayProcess;
import dev.posgate.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 probe: the development CA keystores were 0644 under a documented password (anyone on
 * the machine could mint operator and administrator cards), the TLS listener's private key and
 * the terminal TLS CA keystore 0644 too. After a start, every file the embedded default keeps in
 * data.dir is 0600 in 0700 directories, and the keystores open only with the generated password;
 * a data directory left by an older version is tightened, and its keystores re-encrypted, on start.
 */
class SecretsAtRestIT {

    @Test
    void everySecretIsOwnerOnlyAfterAStart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "gw-secrets-");
        try (TestGateway gateway = start(dataDir)) {
            assertOwnerOnly(dataDir);
            assertKeystoresNeedTheGeneratedPassword(dataDir);
        }
    }

    @Test
    void anOlderDataDirectoryIsTightenedOnStart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "gw-secrets-upgrade-");
        try (TestGateway gateway = start(dataDir)) {
            assertOwnerOnly(dataDir);
        }
        // what an older version left: world-readable files and directories, CA keystores under posgate-dev
        for (String dir : new String[] {"ca", "tls"}) {
            Path d = dataDir.resolve(dir);
            char[] generated = new CaStore(d).password();
            try (Stream<Path> files = Files.list(d)) {
                for (Path p12 : files.filter(f -> f.toString().endsWith(".p12")).toList()) {
                    CaStore.KeyEntry e = CaStore.readP12(p12, generated);
                    CaStore.writeP12(p12, e.key(), e.certificate(), CaStore.DEV_PASSWORD);
                }
            }
            Files.delete(d.resolve(CaStore.PASSWORD_FILE));
        }
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.filter(p -> !p.startsWith(dataDir.resolve("pg"))).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        try (TestGateway gateway = start(dataDir)) {
            assertOwnerOnly(dataDir);
            assertKeystoresNeedTheGeneratedPassword(dataDir);
        }
    }

    private static TestGateway start(Path dataDir) throws Exception {
        // the TLS listener creates its development key and the terminal TLS CA; RSA (EI) is slow on a loaded machine
        return TestGateway.start(Map.of(Setting.DB_URL, "", Setting.DATA_DIR, dataDir,
                Setting.LISTENER_TLS_PORT, GatewayProcess.freePort(), Setting.HSM_TIMEOUT, 30_000));
    }

    /**
     * Every directory 0700 and every file but a certificate (public, and behind a 0700 directory
     * anyway) 0600; PostgreSQL's own directory aside (it keeps it 0700 itself).
     */
    private static void assertOwnerOnly(Path dataDir) throws IOException {
        List<String> open = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.toList()) {
                if (p.startsWith(dataDir.resolve("pg")) && !p.equals(dataDir.resolve("pg"))) continue;
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
                Set<PosixFilePermission> expected = Files.isDirectory(p) ? SecretFile.OWNER_DIR : SecretFile.OWNER_FILE;
                seen.add(dataDir.relativize(p).toString());
                if (p.toString().endsWith(".crt")) continue;
                if (!mode.equals(expected)) open.add(dataDir.relativize(p) + " " + PosixFilePermissions.toString(mode));
            }
        }
        assertTrue(open.isEmpty(), "not owner-only: " + open);
        for (String secret : new String[] {"admin.token", "lmk.hex", "db-superuser.password", "db-app.password",
            "ca/root.p12", "ca/keystore.password", "tls/server.key", "tls/terminal-tls.p12", "hsm-tls/gateway.key",
            "hsm-tls/hsm.key"}) {
            assertTrue(seen.contains(secret), secret + " was checked (present after a start)");
        }
    }

    private static void assertKeystoresNeedTheGeneratedPassword(Path dataDir) throws IOException {
        for (String p12 : new String[] {"ca/root.p12", "tls/terminal-tls.p12"}) {
            Path file = dataDir.resolve(p12);
            assertThrows(IOException.class, () -> CaStore.readP12(file, CaStore.DEV_PASSWORD), p12 + " opens with posgate-dev");
            char[] generated = new CaStore(file.getParent()).password();
            assertEquals(48, generated.length);
            CaStore.readP12(file, generated);
        }
    }
}
