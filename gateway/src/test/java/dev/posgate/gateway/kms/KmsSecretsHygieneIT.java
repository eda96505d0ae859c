package dev.posgate.gateway.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.GatewayProcess;
import dev.posgate.gateway.support.LogCapture;
import dev.posgate.gateway.support.SecretScan;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.terminal.kms.BatchUploader;
import dev.posgate.terminal.kms.KeyLoaderClient;
import dev.posgate.terminal.kms.KmsClient;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.pki.CertificateVerifier;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Secrets hygiene of the KMS flows: operator batch upload (CMS signed by two cards), TMK download
 * K1–K4 and key loader L1–L3, all at DEBUG; then every log line, the /metrics scrape and every
 * audit row are scanned for the LMKs and the cards' private keys. (The clear TKs and TMKs live
 * only in the simulated PIN pads, which do not give them out, so they cannot be searched for.)
 */
class KmsSecretsHygieneIT {
    @Test
    void noLmkOrCardPrivateKeyReachesLogsMetricsOrAudit() throws Exception {
        SecretScan scan = new SecretScan();
        List<String> logs;
        String metrics;
        List<String> audit = new ArrayList<>();
        try (LogCapture capture = LogCapture.attach()) {
            KmsFixture f = new KmsFixture(TestGateway.start(Map.of(Setting.LOADER_PORT, GatewayProcess.freePort())));
            try {
                Matcher m = Pattern.compile("[0-9A-Fa-f]{32,}").matcher(
                        Files.readString(f.gateway.app().config().dataDir().resolve("lmk.hex")));
                int lmks = 0;
                for (; m.find(); lmks++) scan.secret("LMK " + lmks, HexFormat.of().parseHex(m.group().substring(0, 32)));
                assertTrue(lmks > 0, "the LMK file was read");
                scan.secret("operator card key", f.operator.privateKey().getEncoded());
                scan.secret("administrator card key", f.administrator.privateKey().getEncoded());

                X509Certificate kms = f.kmsCertificate();
                KmsFixture.Device d = new KmsFixture.Device("SN-HYG-K");
                BatchUploader.Result r = f.upload("PO-HYG", List.of(f.factory(d, kms)));
                assertEquals(200, r.status(), r.body().encode());
                TerminalLink link = f.link();
                byte[] kcv = Eventually.await(KmsClient.downloadTmk(link, d.sn, null, 1, d.vault));
                assertArrayEquals(kcv, d.pinPad.kcv(1, KeyRole.TMK, 4));
                link.close();
                KmsFixture.Device loaded = new KmsFixture.Device("SN-HYG-L");
                f.register(loaded.sn);
                f.authorise(loaded.sn);
                CertificateVerifier acquirer = CertificateVerifier.trusting(f.ca.acquirer("ACQ001").root());
                TerminalLink loaderLink = f.loaderLink();
                byte[] loadedKcv = Eventually.await(KeyLoaderClient.loadTmk(loaderLink, loaded.sn, 2, acquirer, loaded.pinPad));
                assertArrayEquals(loadedKcv, loaded.pinPad.kcv(2, KeyRole.TMK, 4));
                loaderLink.close();

                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + f.gateway.adminPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (Row row : Eventually.await(f.gateway.app().database().pool()
                        .query("select actor, action, subject, result, detail::text from audit_log").execute())) {
                    audit.add(row.getString(0) + " " + row.getString(1) + " " + row.getString(2) + " " + row.getString(3)
                            + " " + row.getString(4));
                }
            } finally {
                f.close();
            }
            logs = capture.lines();
        }
        assertTrue(logs.size() > 10, "logging was captured");
        assertTrue(metrics.contains("posgate_"), "metrics were scraped");
        assertTrue(audit.stream().anyMatch(a -> a.contains("kms.tmk.activate")), "audit rows were read: " + audit);
        List<String> found = new ArrayList<>(scan.findings("logs", logs));
        found.addAll(scan.findings("metrics", metrics));
        found.addAll(scan.findings("audit_log", audit));
        assertEquals(List.of(), found);
    }
}
