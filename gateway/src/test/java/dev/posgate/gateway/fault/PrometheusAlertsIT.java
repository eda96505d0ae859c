package dev.posgate.gateway.fault;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.posp.PospFixture;
import dev.posgate.gateway.support.Dashboard;
import dev.posgate.gateway.support.DeployTools;
import dev.posgate.gateway.support.PrometheusServer;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * deploy/prometheus and deploy/grafana seen by a real Prometheus: the {@code prometheus} binary
 * (bin/test installs it; missing, this test FAILS unless {@code POSGATE_SKIP_DEPLOY_TOOLS=1})
 * scrapes a gateway under purchase load with the repository's prometheus.yml (targets and
 * intervals rewritten) and evaluates the repository's alerts.yml. Each condition is provoked for
 * real (the HSM stopped, the database stopped, terminals sending wrong MACs, replayed requests,
 * a sign-on flood, a connection flood, the gateway stopped) and each alert it should raise is seen firing in
 * Prometheus, then resolving once the condition ends; every panel query of the Grafana dashboard
 * returns series from that Prometheus. promtool's alerts.test.yml (DeployValidationIT) keeps
 * covering the {@code for:} durations and windows with synthetic series; this test covers the
 * metric names, labels and thresholds against the series a gateway really exposes.
 *
 * <p>The rules are loaded twice, in a test copy (production durations would take up to ten
 * minutes per alert): group {@code posgate} is alerts.yml with only each {@code for:} shortened
 * to 1 s, so its expressions are the production ones, and must fire; group
 * {@code posgate-short-range} also has each range selector ({@code [5m]}, {@code [10m]}) cut to
 * {@value #SHORT_RANGE} and the label {@code test_copy="short_range"}, so that a rate alert
 * resolves within seconds of the condition ending instead of after its five-minute window: that
 * copy must fire and then resolve. An alert without a range selector (a gauge) must resolve in
 * both.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusAlertsIT {
    private static final Logger log = LoggerFactory.getLogger(PrometheusAlertsIT.class);
    private static final Path DEPLOY = Path.of("..", "deploy");
    /** The range selectors of the short-range copy: ten 1 s scrapes. */
    static final String SHORT_RANGE = "10s";
    private static final String SHORT_COPY = "short_range";

    private static StoppableHsm hsm;
    private static StoppablePostgres pg;
    private static PospFixture world;
    private static PrometheusServer prometheus;
    private static TerminalLoad load;
    private static SignedOnTerminals terminals;
    /** Alert name -> its expression in the production copy, as Prometheus loaded it. */
    private static final Map<String, String> productionRules = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        DeployTools.tool("prometheus"); // fails (or skips, when asked) before anything is started
        Path dir = Files.createTempDirectory(Path.of("target"), "prometheus-");
        hsm = StoppableHsm.start();
        pg = StoppablePostgres.start();
        int adminPort = freePort(); // fixed, so that the gateway restarted in gatewayDown() is the same target
        world = PospFixture.start(2_000, hsm.lmkFile(), pg.url(), Map.of(Setting.HSM_HOSTS, hsm.hosts(),
                Setting.ADMIN_PORT, adminPort,
                // new connections from one address: 50 at once, then 1 a second (the test's own
                // terminals open 6 in all; misbehavingTerminals() opens hundreds)
                Setting.CONNECTION_RATE_PER_IP, 1, Setting.CONNECTION_BURST_PER_IP, 50));
        terminals = SignedOnTerminals.of(world, "PROM", 5);

        String alerts = Files.readString(DEPLOY.resolve("prometheus/alerts.yml"));
        Files.writeString(dir.resolve("alerts.yml"), testRules(alerts));
        Files.writeString(dir.resolve("prometheus.yml"), testConfig(Files.readString(DEPLOY.resolve("prometheus/prometheus.yml")),
                "127.0.0.1:" + adminPort));
        prometheus = PrometheusServer.start(dir.resolve("prometheus.yml"), dir);
        // every rule evaluated without an error, both copies loaded
        JsonArray groups = Eventually.value("every rule evaluated, health ok", prometheus::ruleGroups,
                gs -> gs.stream().flatMap(g -> ((JsonObject) g).getJsonArray("rules").stream())
                        .allMatch(r -> "ok".equals(((JsonObject) r).getString("health"))));
        int rules = 0;
        for (Object g : groups) {
            JsonObject group = (JsonObject) g;
            for (Object r : group.getJsonArray("rules")) {
                JsonObject rule = (JsonObject) r;
                if (group.getString("name").equals("posgate")) productionRules.put(rule.getString("name"), rule.getString("query"));
                rules++;
            }
        }
        assertTrue(productionRules.size() == count(alerts, "- alert: ") && rules == 2 * productionRules.size(),
                "both copies loaded: " + groups.encode());

        // two terminals send purchases and echoes throughout; the others are for the provocations
        load = TerminalLoad.start(terminals.clients().subList(0, 2), terminals.tids().subList(0, 2), 20, 0, Duration.ofSeconds(10));
        load.awaitApprovals("purchases are approved", 3, Long.MIN_VALUE);
        Eventually.until("prometheus scrapes the gateway", () -> prometheus.query("up{job=\"posgate\"} == 1").size() == 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (load != null) load.close();
        if (prometheus != null) prometheus.close();
        if (world != null) world.close();
        if (pg != null) pg.close();
        if (hsm != null) hsm.close();
    }

    @Test
    @Order(1)
    void hsmDown() throws Exception {
        hsm.stop();
        awaitFiring("HsmCircuitOpen");
        awaitFiring("HsmConnectionsDegraded");
        awaitFiring("PosgateSystemMalfunctionRate"); // purchases answered 96
        hsm.restart();
        long up = System.nanoTime();
        load.firstApprovalSentAfter(up);
        awaitResolved("HsmCircuitOpen");
        awaitResolved("HsmConnectionsDegraded");
        awaitResolved("PosgateSystemMalfunctionRate");
    }

    @Test
    @Order(2)
    void databaseDown() throws Exception {
        pg.stop();
        // the short-range copy resolved after hsmDown(): firing again is this outage's doing
        awaitFiring("PosgateSystemMalfunctionRate");
        pg.restart();
        long up = System.nanoTime();
        load.firstApprovalSentAfter(up);
        awaitResolved("PosgateSystemMalfunctionRate");
    }

    /** Terminals misbehaving: wrong MACs, a replayed purchase, a sign-on flood, a connection flood; then they stop. */
    @Test
    @Order(3)
    void misbehavingTerminals() throws Exception {
        PosClient a = terminals.clients().get(2);
        PosClient b = terminals.clients().get(3);
        PosClient flood = terminals.clients().get(4);
        // one wrong MAC first, and Prometheus holding its new series before the burst: rate()
        // counts the increases between the samples it holds, not the first value
        assertEquals("A0", wrongMac(a));
        Eventually.until("prometheus holds the A0 series",
                () -> !prometheus.query("posgate_request_seconds_count{result=\"A0\"}").isEmpty());
        // above 1/s over the production rule's five minutes: more than 300
        for (int i = 0; i < 200; i++) {
            assertEquals("A0", wrongMac(a));
            assertEquals("A0", wrongMac(b));
        }
        // a purchase sent again as it was captured, 45 times: above 0.1/s over five minutes
        byte[] captured = a.seal(a.purchase(TerminalLoad.PAN, 700, "123456"));
        assertEquals("00", await(a.sendRaw(captured)).code());
        for (int i = 0; i < 45; i++) assertEquals("94", await(a.sendRaw(captured)).code());
        // 50 sign-ons of one terminal, posp.sign_on.rate is 6 a minute: more than 30 refused 12
        Map<String, Integer> signOns = new HashMap<>();
        for (int i = 0; i < 50; i++) signOns.merge(await(flood.signOn(SignOnMode.DOUBLE)).code(), 1, Integer::sum);
        assertTrue(signOns.getOrDefault("12", 0) > 30 && signOns.keySet().stream().allMatch(c -> c.equals("00") || c.equals("12")),
                signOns.toString());
        // 400 connections opened and dropped at once, over connections.rate.per.ip: more than 300 refused (ip_rate)
        for (int i = 0; i < 400; i++) {
            try (Socket s = new Socket("127.0.0.1", world.gateway.port())) {
                s.setSoLinger(true, 0);
            }
        }

        awaitFiring("PosgateMacErrorsSpike");
        awaitFiring("PosgateReplaysRefused");
        awaitFiring("PosgateKeyRequestsRateLimited");
        awaitFiring("PosgateConnectionsRefused");
        awaitResolved("PosgateMacErrorsSpike");
        awaitResolved("PosgateReplaysRefused");
        awaitResolved("PosgateKeyRequestsRateLimited");
        awaitResolved("PosgateConnectionsRefused");
    }

    /**
     * Every panel query of the dashboard (Grafana's interval variables as 1m) returns at least
     * one series, after the traffic and faults above and a malformed frame and an HSM error code
     * (for the panels broken down by decode-error reason and by HSM error code).
     */
    @Test
    @Order(4)
    void everyDashboardQueryReturnsSeries() throws Exception {
        try (TerminalConnection t = world.gateway.connect()) {
            t.writeRaw(new byte[] {0, 2, 0x41, 0x41}); // family 'A': no such frame family
            assertTrue(t.closedByPeer(10_000));
        }
        // a KCV of a key the LMK never encrypted: the HSM answers with an error code
        world.hsm().kcv(KeyType.ZPK, LmkKey.parse("U" + "0".repeat(32))).otherwiseEmpty().toCompletionStage().toCompletableFuture()
                .get(Eventually.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        List<String> exprs = Dashboard.expressions();
        assertTrue(exprs.size() > 10, "the dashboard has its panels: " + exprs.size());
        List<String> counts = new ArrayList<>();
        for (String expr : exprs) {
            String query = Dashboard.withRange(expr, "1m");
            JsonArray result = Eventually.value("the dashboard query returns a series: " + query, () -> prometheus.query(query),
                    r -> !r.isEmpty());
            counts.add(result.size() + " " + query);
        }
        log.info("dashboard queries: {}", counts);
    }

    /**
     * Every alert's expression without its final comparison (the value it compares) returns at
     * least one series: also for the alerts not provoked here (p99 latencies, decode errors,
     * abusive sessions, throttling, session thread violations), their selectors, labels and
     * aggregations match what the gateway exposes.
     */
    @Test
    @Order(5)
    void everyAlertExpressionSeesSeries() throws Exception {
        Pattern comparison = Pattern.compile("(?s)^(.*?)\\s*(>|<|==)\\s*[0-9.e-]+\\s*$");
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> rule : productionRules.entrySet()) {
            Matcher m = comparison.matcher(rule.getValue());
            assertTrue(m.matches(), rule.getKey() + " ends in a comparison with a number: " + rule.getValue());
            String value = m.group(1);
            JsonArray result = Eventually.value(rule.getKey() + "'s value returns a series: " + value, () -> prometheus.query(value),
                    r -> !r.isEmpty());
            values.add(rule.getKey() + " " + result.size());
        }
        log.info("alert values: {}", values);
    }

    @Test
    @Order(6)
    void gatewayDown() throws Exception {
        load.close();
        world.stopGateway();
        awaitFiring("PosgateDown");
        world.startGateway(); // the same admin port: the same scrape target
        awaitResolved("PosgateDown");
    }

    // ------------------------------------------------------------------------------- the rules

    /**
     * The test copy of alerts.yml: the production group with each {@code for:} at 1 s, then the
     * short-range group (module comment). Nothing else is changed: each replacement is counted.
     */
    static String testRules(String production) {
        int fors = count(production, "(?m)^\\s+for: \\S+$");
        int ranges = count(production, "\\[\\d+m\\]");
        int labels = count(production, "labels: \\{");
        assertTrue(fors > 10 && ranges > 10 && labels == count(production, "- alert: "), fors + " " + ranges + " " + labels);
        String fast = production.replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 1s");
        String shortRange = fast.replaceAll("\\[\\d+m\\]", "[" + SHORT_RANGE + "]")
                .replace("labels: {", "labels: {test_copy: " + SHORT_COPY + ", ")
                .replace("- name: posgate\n", "- name: posgate-short-range\n");
        assertTrue(shortRange.contains("- name: posgate-short-range\n"), "the group is named posgate");
        return fast + shortRange.substring(shortRange.indexOf("groups:\n") + "groups:\n".length());
    }

    /** deploy/prometheus/prometheus.yml scraping {@code target} every second, evaluating every second. */
    static String testConfig(String production, String target) {
        String config = production;
        for (String[] r : new String[][] {
                {"scrape_interval: 10s", "scrape_interval: 1s"},
                {"evaluation_interval: 10s", "evaluation_interval: 1s"},
                {"targets: ['gateway-1:8080', 'gateway-2:8080']", "targets: ['" + target + "']"}}) {
            assertTrue(config.contains(r[0]), "prometheus.yml has " + r[0]);
            config = config.replace(r[0], r[1]);
        }
        return config;
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    // ------------------------------------------------------------------------------ the alerts

    /** Waits until both copies of {@code alert} fire. */
    private static void awaitFiring(String alert) throws Exception {
        assertTrue(productionRules.containsKey(alert), alert + " is a rule of alerts.yml");
        Eventually.until(alert + " fires", () -> state(alert, false).equals("firing") && state(alert, true).equals("firing"));
        log.info("ALERT {} firing", alert);
    }

    /** Waits until the short-range copy of {@code alert} is neither pending nor firing, and the production copy too for a gauge alert. */
    private static void awaitResolved(String alert) throws Exception {
        boolean gauge = !productionRules.get(alert).contains("[");
        Eventually.until(alert + " resolves", () -> state(alert, true).equals("inactive")
                && (!gauge || state(alert, false).equals("inactive")));
        log.info("ALERT {} resolved", alert);
    }

    /** firing, pending or inactive (not listed). */
    private static String state(String alert, boolean shortCopy) throws Exception {
        String state = "inactive";
        for (Object o : prometheus.alerts()) {
            JsonObject labels = ((JsonObject) o).getJsonObject("labels");
            if (alert.equals(labels.getString("alertname")) && labels.containsKey("test_copy") == shortCopy) {
                if (((JsonObject) o).getString("state").equals("firing")) return "firing";
                state = "pending";
            }
        }
        return state;
    }

    // ---------------------------------------------------------------------------- provocations

    /** A purchase whose MAC has one bit flipped; its answer code. */
    private static String wrongMac(PosClient pos) throws Exception {
        byte[] body = pos.seal(pos.purchase(TerminalLoad.PAN, 500, "123456"));
        body[body.length - 1] ^= 0x01;
        return await(pos.sendRaw(body)).code();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
