package dev.posgate.gateway.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The external tools the deploy checks run (promtool, prometheus, systemd-analyze, kubectl).
 * bin/test installs them; a missing one FAILS the test that needs it (a silent skip would let a
 * broken deploy/ pass CI), unless the environment says {@code POSGATE_SKIP_DEPLOY_TOOLS=1}
 * explicitly (docs/operations.md, "Validated here").
 */
public final class DeployTools {
    /** The explicit opt-out: skip instead of failing when a tool is missing. */
    public static final String SKIP_VARIABLE = "POSGATE_SKIP_DEPLOY_TOOLS";
    /** The Debian package bin/test installs for each tool. */
    private static final Map<String, String> PACKAGES = Map.of("promtool", "prometheus", "prometheus", "prometheus",
            "systemd-analyze", "systemd", "kubectl", "kubernetes-client");

    private DeployTools() {}

    /** The tool's path; fails the test when it is missing (skips it when {@link #SKIP_VARIABLE}{@code =1}). */
    public static Path tool(String name) {
        Optional<Path> found = find(name, System.getenv().getOrDefault("PATH", ""));
        if (found.isEmpty()) {
            assumeFalse("1".equals(System.getenv(SKIP_VARIABLE)), name + " is not installed: skipped, as " + SKIP_VARIABLE + "=1 asks");
            fail(name + " is not installed: bin/test installs it (" + PACKAGES.get(name) + ", Debian); set " + SKIP_VARIABLE
                    + "=1 to skip the deploy checks explicitly");
        }
        return found.get();
    }

    /** {@code name} on {@code path} or in /usr/sbin, /usr/bin (where Debian puts them, not always on a test's PATH). */
    static Optional<Path> find(String name, String path) {
        for (String dir : (path + ":/usr/sbin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Optional.of(Path.of(dir, name));
        }
        return Optional.empty();
    }
}
