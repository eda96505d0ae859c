package dev.posgate.gateway.platform.admin;

import dev.posgate.gateway.platform.secrets.SecretFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The admin API's bearer token: the configured one, or one generated into the data
 * directory on first run (owner-readable only) so that a development gateway is never open.
 */
public final class AdminToken {
    public static final String FILE = "admin.token";

    private AdminToken() {}

    public static String resolve(String configured, Path dataDir) throws IOException {
        if (!configured.isEmpty()) return AdminTokenPolicy.check(configured);
        return SecretFile.readOrCreate(dataDir.resolve(FILE), 24);
    }
}
