package dev.posgate.gateway.app;

import static dev.posgate.gateway.support.DeployTools.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.Dashboard;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ checked by the tools that own its formats: promtool for the Prometheus configuration,
 * the alert rules and every dashboard expression; systemd-analyze for the unit; kubectl for the
 * kustomize base. bin/test installs the tools; a missing one FAILS its test (a silent skip would
 * let a broken deploy/ pass CI), unless the environment says {@code POSGATE_SKIP_DEPLOY_TOOLS=1}
 * explicitly ({@link dev.posgate.gateway.support.DeployTools}). The HAProxy configuration is checked
 * by the load-test module, which runs it; the rules and the dashboard run in a real Prometheus
 * against a gateway in PrometheusAlertsIT.
 */
class DeployValidationIT {
    private static final Path DEPLOY = Path.of("..", "deploy");

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
        List<String> exprs = Dashboard.expressions();
        assertTrue(exprs.size() > 10, "the dashboard has its panels: " + exprs.size());
        // each expression as a recording rule: promtool parses it with Prometheus' own parser
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = Dashboard.withRange(exprs.get(i), "1m");
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

    /** Runs a command, asserts exit status 0, returns its output. */
    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
