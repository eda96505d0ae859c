package dev.posgate.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ checked by the tools that own its formats: promtool for the Prometheus configuration,
 * the alert rules and every dashboard expression; systemd-analyze for the unit; kubectl for the
 * kustomize base. bin/test installs the tools; a missing one FAILS its test (a silent skip would
 * let a broken deploy/ pass CI), unless the environment says {@code POSGATE_SKIP_DEPLOY_TOOLS=1}
 * explicitly. The HAProxy configuration is checked by the load-test module, which runs it.
 */
class DeployValidationIT {
    private static final Path DEPLOY = Path.of("..", "deploy");
    /** The explicit opt-out (docs/testing.md): skip instead of failing when a tool is missing. */
    static final String SKIP_VARIABLE = "POSGATE_SKIP_DEPLOY_TOOLS";
    /** The Debian package bin/test installs for each tool. */
    private static final Map<String, String> PACKAGES = Map.of(
            "promtool", "prometheus", "systemd-analyze", "systemd", "kubectl", "kubernetes-client");

    @Test
    void prometheusConfigurationAndAlertRules() throws Exception {
        Path promtool = tool("promtool");
        String out = run(promtool.toString(), "check", "config", DEPLOY.resolve("prometheus/prometheus.yml").toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    /** deploy/prometheus/alerts.test.yml: the alerts fire on the series they watch, with the labels their summaries use. */
    @Test
    void alertRulesFireOnTheirSeries() throws Exception {
        String out = run(tool("promtool").toString(), "test", "rules", DEPLOY.resolve("prometheus/alerts.test.yml").toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyDashboardExpressionParses(@TempDir Path dir) throws Exception {
        Path promtool = tool("promtool");
        List<String> exprs = new ArrayList<>();
        collectExprs(new JsonObject(Files.readString(DEPLOY.resolve("grafana/dashboards/posgate.json"))), exprs);
        assertTrue(exprs.size() > 10, "the dashboard has its panels: " + exprs.size());
        // each expression as a recording rule: promtool parses it with Prometheus' own parser
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i).replace("$__rate_interval", "1m").replace("$__interval", "1m");
            String json = new JsonArray().add(expr).encode(); // a JSON string is a YAML double-quoted scalar
            rules.append("  - record: dashboard:expr").append(i).append("\n    expr: ")
                    .append(json, 1, json.length() - 1).append('\n');
        }
        Path file = dir.resolve("dashboard-rules.yml");
        Files.writeString(file, rules);
        String out = run(promtool.toString(), "check", "rules", file.toString());
        assertTrue(out.contains("SUCCESS: " + exprs.size() + " rules found"), out);
    }

    @Test
    void systemdUnit() throws Exception {
        run(tool("systemd-analyze").toString(), "verify", DEPLOY.resolve("systemd/posgate.service").toString());
    }

    @Test
    void kustomizeBaseBuilds() throws Exception {
        String out = run(tool("kubectl").toString(), "kustomize", DEPLOY.resolve("kustomize/base").toString());
        for (String kind : List.of("kind: Deployment", "kind: Service", "kind: HorizontalPodAutoscaler", "kind: PodDisruptionBudget")) {
            assertTrue(out.contains(kind), kind);
        }
    }

    private static void collectExprs(Object node, List<String> into) {
        if (node instanceof JsonObject o) {
            if (o.getValue("expr") instanceof String e) into.add(e);
            o.forEach(entry -> collectExprs(entry.getValue(), into));
        } else if (node instanceof JsonArray a) {
            a.forEach(v -> collectExprs(v, into));
        }
    }

    private static Path tool(String name) {
        Optional<Path> found = find(name, System.getenv().getOrDefault("PATH", ""));
        if (found.isEmpty()) {
            assumeFalse("1".equals(System.getenv(SKIP_VARIABLE)), name + " is not installed: skipped, as " + SKIP_VARIABLE + "=1 asks");
            fail(name + " is not installed: bin/test installs it (" + PACKAGES.get(name) + ", Debian); set " + SKIP_VARIABLE
                    + "=1 to skip the deploy checks explicitly");
        }
        return found.get();
    }

    static Optional<Path> find(String name, String path) {
        for (String dir : (path + ":/usr/sbin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Optional.of(Path.of(dir, name));
        }
        return Optional.empty();
    }

    /** Runs a command, asserts exit status 0, returns its output. */
    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
