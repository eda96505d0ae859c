package dev.posgate.gateway.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard in deploy/ name only metrics the gateway really
 * exposes: a renamed meter fails this test instead of silently emptying a dashboard panel or
 * disarming an alert.
 */
class OpsArtifactsIT {
    private static final Pattern METRIC = Pattern.compile("\\b((?:posgate|hsm|vertx|jvm)_[a-z_]+)\\b");
    private static final List<Path> ARTIFACTS = List.of(
            Path.of("..", "deploy", "prometheus", "alerts.yml"),
            Path.of("..", "deploy", "grafana", "dashboards", "posgate.json"));

    @Test
    void everyMetricUsedByAlertsAndDashboardsIsExposed() throws Exception {
        try (TestGateway gateway = TestGateway.start()) {
            // traffic that makes the labelled meters appear: a request, an HSM command and
            // an HSM error, a malformed frame
            try (TerminalConnection t = gateway.connect()) {
                t.exchange(Frames.echoRequest("000001"));
            }
            try (TerminalConnection t = gateway.connect()) {
                t.writeRaw(new byte[] {0, 2, 0x41, 0x41});
                t.closedByPeer(3000);
            }
            var hsm = gateway.app().hsmLink().hsm();
            hsm.diagnostics().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            hsm.kcv(KeyType.ZPK, LmkKey.parse("U" + "0".repeat(32))).otherwiseEmpty()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            gateway.app().database().ping().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            String scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            TreeSet<String> exposed = new TreeSet<>();
            for (String line : scrape.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                exposed.add(line.substring(0, end));
            }
            List<String> missing = new ArrayList<>();
            for (Path artifact : ARTIFACTS) {
                Matcher m = METRIC.matcher(Files.readString(artifact));
                while (m.find()) {
                    if (!exposed.contains(m.group(1))) missing.add(artifact.getFileName() + ": " + m.group(1));
                }
            }
            assertTrue(missing.isEmpty(), "metrics used in deploy/ but not exposed: " + missing);
        }
    }
}
