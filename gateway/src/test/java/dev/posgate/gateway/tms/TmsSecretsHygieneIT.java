package dev.posgate.gateway.tms;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.support.LogCapture;
import dev.posgate.gateway.support.SecretScan;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.tms.PackageStore;
import dev.posgate.terminal.tms.TmsClient;
import dev.posgate.terminal.tms.TmsIdentity;
import dev.posgate.terminal.tms.TmsUpdater;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Secrets hygiene of the TMS flows: DMK key ceremony through the admin API (clear components in
 * the request body), handshake (TMK under the DWK) and a package download, all at DEBUG; then
 * every log line, the /metrics scrape and every audit row are scanned for the components and the DMK.
 */
class TmsSecretsHygieneIT {
    private static final byte[] C1 = Parity.adjustOdd(HexFormat.of().parseHex("3D3D3D3D3D3D3D3D5E5E5E5E5E5E5E5E"));
    private static final byte[] C2 = Parity.adjustOdd(HexFormat.of().parseHex("6B6B6B6B6B6B6B6B0D0D0D0D0D0D0D0D"));

    @Test
    void noComponentOrDmkReachesLogsMetricsOrAudit() throws Exception {
        byte[] dmk = Parity.adjustOdd(KeyComponents.combine(C1, C2));
        SecretScan scan = new SecretScan().secret("DMK component 1", C1).secret("DMK component 2", C2).secret("DMK", dmk);
        List<String> logs;
        String metrics;
        List<String> audit = new ArrayList<>();
        try (LogCapture capture = LogCapture.attach(); TmsFixture fx = TmsFixture.start()) {
            String sn = "SN-TMS-HYG1";
            assertEquals(201, fx.call("POST", "/api/terminals", new JsonObject().put("tid", "THYG0001").put("mid", "898310048990001")
                    .put("sn", sn).put("vendor", TmsFixture.VENDOR).put("model", TmsFixture.MODEL).put("keyScheme", "TMK")).statusCode());
            HttpResponse<String> ceremony = fx.call("POST", "/api/tms/terminals/" + sn + "/dmk", new JsonObject()
                    .put("components", new JsonArray().add(HexFormat.of().formatHex(C1)).add(HexFormat.of().formatHex(C2))));
            assertEquals(201, ceremony.statusCode(), ceremony.body());
            byte[] app = new byte[64 * 1024];
            new Random(8).nextBytes(app);
            fx.targetEveryone(fx.publish(TmsFixture.VENDOR, "hyg-app", "1.0.0", app));

            PinPad pad = new PinPad();
            pad.write(0, KeyRole.DMK, dmk);
            TerminalLink link = fx.link();
            TmsClient client = new TmsClient(link, new TmsIdentity(TmsFixture.VENDOR, TmsFixture.MODEL, sn, 0), pad,
                    LocalDateTime::now, RandomSource.secure());
            await(client.handshake());
            TmsUpdater.Outcome out = await(new TmsUpdater(client, new PackageStore(), 16 * 1024).run());
            assertEquals(1, out.installed().size());
            await(link.close());

            metrics = fx.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.gateway.adminPort() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            for (Row r : await(fx.gateway.app().database().pool()
                    .query("select actor, action, subject, result, detail::text from audit_log").execute())) {
                audit.add(r.getString(0) + " " + r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4));
            }
            logs = capture.lines();
        }
        assertTrue(logs.size() > 10, "logging was captured");
        assertTrue(metrics.contains("posgate_"), "metrics were scraped");
        assertTrue(audit.stream().anyMatch(a -> a.contains("tms.dmk.provision")), "audit rows were read: " + audit);
        assertTrue(audit.stream().anyMatch(a -> a.contains("tms.tmk.issue")), "the TMK issued in the handshake is audited: " + audit);
        List<String> found = new ArrayList<>(scan.findings("logs", logs));
        found.addAll(scan.findings("metrics", metrics));
        found.addAll(scan.findings("audit_log", audit));
        assertEquals(List.of(), found);
    }
}
