package dev.posgate.gateway.posp.admin;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.Tdes;
import dev.posgate.gateway.cli.CliRun;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/terminals/{tid}/keys} and {@code posgate terminal keys}, over TCP: a terminal
 * registered with the CLI, its TMK formed in a key ceremony, two sign-ons (003 then 004); the
 * endpoint and the CLI show the TMK ACTIVE and the working keys' versions with the KCVs of the keys
 * the simulated terminal received (computed here with the crypto module's TDES from field 62
 * decrypted under the clear TMK), the last sign-on, and never a key cryptogram.
 */
class KeyStatusIT {
    private static final String C1 = "0123456789ABCDEFFEDCBA9876543210";
    private static final String C2 = "1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void keyStateAfterCeremonyAndSignOnsMatchesTheKeysTheTerminalReceived() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestGateway gateway = TestGateway.start(Map.of(Setting.POSP_TMK_CEREMONY, true, Setting.HSM_SIM_CLEAR_COMPONENTS, true))) {
            String token = gateway.app().adminToken();
            String admin = "http://127.0.0.1:" + gateway.adminPort();
            CliRun registered = CliRun.of("terminal", "register", "--admin", admin, "--token", token, "--tid", "KEYS0001",
                    "--mid", "898310048990001", "--sn", "SN-KEYS-1", "--vendor", "ACME", "--model", "P100");
            assertEquals(0, registered.exit(), registered.err());

            JsonObject before = keys(gateway, token, "KEYS0001", 200);
            assertEquals(0, before.getJsonArray("keys").size());
            assertNull(before.getValue("lastSignOn"));
            assertTrue(CliRun.of("terminal", "keys", "KEYS0001", "--admin", admin, "--token", token).out().contains("last sign-on: never"));

            CliRun formed = CliRun.of("terminal", "tmk-ceremony", "--admin", admin, "--token", token, "--sn", "SN-KEYS-1",
                    "--component", C1, "--component", C2);
            assertEquals(0, formed.exit(), formed.err());
            byte[] tmk = Parity.adjustOdd(KeyComponents.combine(Hex.decode(C1), Hex.decode(C2)));
            String tmkKcv = kcv6(tmk);
            assertTrue(formed.out().startsWith("TMK of SN-KEYS-1 stored ACTIVE, KCV " + tmkKcv), formed.out());
            assertFalse(formed.out().contains(C1) || formed.out().contains(C2));

            PinPad pad = new PinPad();
            pad.write(1, KeyRole.TMK, tmk);
            TerminalLink link = await(TerminalLink.connect(vertx, "127.0.0.1", gateway.port(), Duration.ofSeconds(10)));
            PosClient pos = new PosClient(link, "KEYS0001", "898310048990001", new PinPadKeys(pad, 1), false);
            assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
            PosClient.SignOnResult last = await(pos.signOn(SignOnMode.DOUBLE_WITH_TDK));
            assertEquals("00", last.code());
            assertTrue(last.keysAccepted());
            // PIK, MAK, TDK as the terminal received them: key(16) KCV(4) each, under the TMK
            byte[] f62 = last.reply().binary(62);
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("TMK", tmkKcv);
            String[] types = {"PIK", "MAK", "TDK"};
            for (int i = 0; i < 3; i++) {
                byte[] clear = Tdes.decryptEcb(tmk, Arrays.copyOfRange(f62, i * 20, i * 20 + 16));
                expected.put(types[i], kcv6(clear));
            }
            Map<String, Integer> versions = Map.of("TMK", 1, "PIK", 2, "MAK", 2, "TDK", 1);

            JsonObject status = keys(gateway, token, "KEYS0001", 200);
            assertEquals("SN-KEYS-1", status.getString("sn"));
            assertEquals("TMK", status.getString("keyScheme"));
            JsonArray listed = status.getJsonArray("keys");
            assertEquals(4, listed.size(), listed.encode());
            int i = 0;
            for (Map.Entry<String, String> e : expected.entrySet()) {
                JsonObject k = listed.getJsonObject(i++);
                assertEquals(e.getKey(), k.getString("type"));
                assertEquals(1, k.getInteger("keyIndex"));
                assertEquals("ACTIVE", k.getString("state"), k.encode());
                assertEquals(versions.get(e.getKey()), k.getInteger("version"), k.encode());
                assertEquals(e.getValue(), k.getString("kcv"), e.getKey() + " KCV");
            }
            JsonObject signOn = status.getJsonObject("lastSignOn");
            assertEquals("004", signOn.getString("mode"));
            assertEquals(pos.batch(), signOn.getString("batch"));
            assertTrue(signOn.getString("at") != null);

            // no cryptogram: none of the terminal's stored key values (nor the one-time field 62) appears
            String body = send(gateway, token, "GET", "/api/terminals/KEYS0001/keys", null).body();
            for (Row r : await(gateway.app().database().pool().query("select lmk_value from key_record where owner_id = 'SN-KEYS-1'").execute())) {
                String value = r.getString(0);
                assertFalse(body.contains(value) || body.toUpperCase(Locale.ROOT).contains(value.toUpperCase(Locale.ROOT)), "no cryptogram");
            }
            assertFalse(body.toUpperCase(Locale.ROOT).contains(Hex.encode(Arrays.copyOfRange(f62, 0, 8)).toUpperCase(Locale.ROOT)));

            CliRun table = CliRun.of("terminal", "keys", "KEYS0001", "--admin", admin, "--token", token);
            assertEquals(0, table.exit(), table.err());
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertTrue(table.out().lines().anyMatch(l -> l.startsWith(e.getKey()) && l.contains("ACTIVE") && l.contains(e.getValue())
                        && l.matches(e.getKey() + "\\s+1\\s+" + versions.get(e.getKey()) + "\\s+ACTIVE\\s+" + e.getValue() + ".*")),
                        e.getKey() + " row in:\n" + table.out());
            }
            assertTrue(table.out().contains("last sign-on: ") && table.out().contains("mode 004"), table.out());
            CliRun json = CliRun.of("terminal", "keys", "KEYS0001", "--json", "--admin", admin, "--token", token);
            assertEquals(0, json.exit(), json.err());
            assertEquals(status.getJsonArray("keys"), new JsonObject(json.out()).getJsonArray("keys"));

            assertEquals(404, send(gateway, token, "GET", "/api/terminals/NOBODY01/keys", null).statusCode());
            assertEquals(401, send(gateway, "wrong", "GET", "/api/terminals/KEYS0001/keys", null).statusCode());
            CliRun missing = CliRun.of("terminal", "keys", "NOBODY01", "--admin", admin, "--token", token);
            assertEquals(1, missing.exit());
            assertEquals("", missing.out());
            assertTrue(missing.err().contains("no such terminal"), missing.err());
        } finally {
            await(vertx.close());
        }
    }

    private static String kcv6(byte[] key) {
        return Hex.encode(Kcv.of(key, 3)).toUpperCase(Locale.ROOT);
    }

    private static JsonObject keys(TestGateway gateway, String token, String tid, int status) throws Exception {
        HttpResponse<String> r = send(gateway, token, "GET", "/api/terminals/" + tid + "/keys", null);
        assertEquals(status, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    private static HttpResponse<String> send(TestGateway gateway, String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
