package dev.posgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ checked by the tools that own its formats, whenever they are installed (each test is
 * skipped otherwise): promtool for the Prometheus configuration, the alert rules and every
 * dashboard expression; systemd-analyze for the unit; kubectl for the kustomize base. The
 * HAProxy configuration is checked by the load-test module, which runs it.
 */
class DeployValidationTest {
    private static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void prometheusConfigurationAndAlertRules() throws Exception {
        Path promtool = tool("promtool");
        String out = run(promtool.toString(), "check", "config", DEPLOY.resolve("prometheus/prometheus.yml").toString());
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
        Optional<Path> found = Optional.empty();
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                found = Optional.of(Path.of(dir, name));
                break;
            }
        }
        assumeTrue(found.isPresent(), name + " is not installed: check skipped");
        return found.get();
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
