package dev.posgate.gateway.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.cli.CliRun;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.kms.KmsTerminalSession;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.kms.KmsClient;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key state a remote TMK download and a sign-on leave, as {@code GET /api/terminals/{tid}/keys}
 * and {@code posgate terminal keys} show it, over TCP: factory TK upload, K1–K4 (the TMK ACTIVE),
 * a second download (the new TMK PENDING next to the ACTIVE one until K4 confirms it), then a 004
 * sign-on; every KCV compared with one computed here from the keys the simulated terminal's PIN pad
 * holds (working keys: field 62 decrypted under its TMK, KCV by the crypto module).
 */
class RemoteTmkKeyStatusIT {

    @Test
    void remoteDownloadThenSignOnShowsTmkPendingThenActiveAndTheWorkingKeys() throws Exception {
        KmsFixture f = new KmsFixture(TestGateway.start(Map.of()));
        try {
            String admin = "http://127.0.0.1:" + f.gateway.adminPort();
            String token = f.gateway.app().adminToken();
            X509Certificate kmsCert = f.kmsCertificate();
            KmsFixture.Device d = f.uploaded("SN-RT-1", kmsCert);
            CliRun registered = CliRun.of("terminal", "register", "--admin", admin, "--token", token, "--tid", "RTMK0001",
                    "--mid", "898310048990001", "--sn", d.sn, "--vendor", "ACME", "--model", "P100");
            assertEquals(0, registered.exit(), registered.err());

            TerminalLink link = f.link();
            byte[] first = Eventually.await(KmsClient.downloadTmk(link, d.sn, null, 1, d.vault));
            link.close();
            JsonArray keys = keys(f, "RTMK0001");
            assertEquals(1, keys.size(), keys.encode());
            assertKey(keys.getJsonObject(0), "TMK", 1, "ACTIVE", kcv6(d.pinPad.kcv(1, KeyRole.TMK, 3)));
            assertEquals(kcv6(first), keys.getJsonObject(0).getString("kcv"));

            try (TerminalConnection c = f.gateway.connect()) {
                KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, RandomSource.secure());
                TmsMessage k3 = s.onK2(f.exchange(c, s.k2()));
                TmsMessage k4 = s.onK3(f.exchange(c, k3));
                keys = keys(f, "RTMK0001");
                assertEquals(2, keys.size(), "the new TMK PENDING, the old one still ACTIVE: " + keys.encode());
                assertKey(keys.getJsonObject(0), "TMK", 2, "PENDING", kcv6(s.kcv()));
                assertKey(keys.getJsonObject(1), "TMK", 1, "ACTIVE", kcv6(first));
                CliRun pending = CliRun.of("terminal", "keys", "RTMK0001", "--admin", admin, "--token", token);
                assertTrue(pending.out().lines().anyMatch(l -> l.matches("TMK\\s+1\\s+2\\s+PENDING\\s+" + kcv6(s.kcv()) + ".*")), pending.out());
                s.onK4(f.exchange(c, k4));
            }
            String tmkKcv = kcv6(d.pinPad.kcv(1, KeyRole.TMK, 3));
            keys = keys(f, "RTMK0001");
            assertEquals(1, keys.size(), "after K4 only the new TMK (the old one RETIRED, not listed): " + keys.encode());
            assertKey(keys.getJsonObject(0), "TMK", 2, "ACTIVE", tmkKcv);

            TerminalLink pos = Eventually.await(TerminalLink.connect(f.vertx, "127.0.0.1", f.gateway.port(), Duration.ofSeconds(10)));
            PosClient terminal = new PosClient(pos, "RTMK0001", "898310048990001", new PinPadKeys(d.pinPad, 1), false);
            PosClient.SignOnResult signOn = Eventually.await(terminal.signOn(SignOnMode.DOUBLE_WITH_TDK));
            assertEquals("00", signOn.code());
            byte[] f62 = signOn.reply().binary(62);
            String[] types = {"PIK", "MAK", "TDK"};
            keys = keys(f, "RTMK0001");
            assertEquals(4, keys.size(), keys.encode());
            assertKey(keys.getJsonObject(0), "TMK", 2, "ACTIVE", tmkKcv);
            for (int i = 0; i < 3; i++) {
                byte[] clear = d.pinPad.decrypt(1, KeyRole.TMK, Arrays.copyOfRange(f62, i * 20, i * 20 + 16));
                assertKey(keys.getJsonObject(i + 1), types[i], 1, "ACTIVE", kcv6(Kcv.of(clear, 3)));
            }
            CliRun table = CliRun.of("terminal", "keys", "RTMK0001", "--admin", admin, "--token", token);
            assertEquals(0, table.exit(), table.err());
            assertTrue(table.out().lines().anyMatch(l -> l.matches("TMK\\s+1\\s+2\\s+ACTIVE\\s+" + tmkKcv + ".*")), table.out());
            assertTrue(table.out().contains("(mode 004"), table.out());
            pos.close();
        } finally {
            f.close();
        }
    }

    private static void assertKey(JsonObject k, String type, int version, String state, String kcv) {
        assertEquals(type, k.getString("type"), k.encode());
        assertEquals(version, k.getInteger("version"), k.encode());
        assertEquals(state, k.getString("state"), k.encode());
        assertEquals(kcv, k.getString("kcv"), k.encode());
    }

    private static String kcv6(byte[] kcv) {
        return Hex.encode(Arrays.copyOf(kcv, 3)).toUpperCase(Locale.ROOT);
    }

    private static JsonArray keys(KmsFixture f, String tid) throws Exception {
        KmsFixture.Answer a = f.admin("GET", "/api/terminals/" + tid + "/keys", null);
        assertEquals(200, a.status(), a.body().encode());
        return a.body().getJsonArray("keys");
    }
}
