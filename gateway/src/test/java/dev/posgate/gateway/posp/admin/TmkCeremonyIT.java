package dev.posgate.gateway.posp.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The TMK key ceremony endpoint the load tests provision their fleets with: a TMK formed from
 * clear components in the (bundled software) HSM is the one a terminal holding those components
 * signs on with; disabled by default.
 */
class TmkCeremonyIT {
    private static final String C1 = "0123456789ABCDEFFEDCBA9876543210";
    private static final String C2 = "1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void tmkFormedFromComponentsIsTheOneTheTerminalSignsOnWith() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestGateway gateway = TestGateway.start(Map.of(Setting.POSP_TMK_CEREMONY, true,
                Setting.HSM_SIM_CLEAR_COMPONENTS, true))) {
            String token = gateway.app().adminToken();
            assertEquals(201, post(gateway, token, "/api/terminals", new JsonObject().put("tid", "CERE0001")
                    .put("mid", "898310048990001").put("sn", "SN-CERE-1").put("vendor", "ACME").put("model", "P100")
                    .put("keyScheme", "TMK")).statusCode());

            HttpResponse<String> formed = post(gateway, token, "/api/ceremony/terminals/SN-CERE-1/tmk", components(C1, C2));
            assertEquals(201, formed.statusCode(), formed.body());
            byte[] tmk = Parity.adjustOdd(KeyComponents.combine(Hex.decode(C1), Hex.decode(C2)));
            String kcv = new JsonObject(formed.body()).getString("kcv");
            assertTrue(kcv.equalsIgnoreCase(Hex.encode(Kcv.of(tmk, kcv.length() / 2))), kcv);
            assertTrue(!formed.body().contains(C1) && !formed.body().contains(C2), "no clear component in the answer");

            PinPad pad = new PinPad();
            pad.write(1, KeyRole.TMK, tmk);
            TerminalLink link = await(TerminalLink.connect(vertx, "127.0.0.1", gateway.port(), Duration.ofSeconds(10)));
            PosClient pos = new PosClient(link, "CERE0001", "898310048990001", new PinPadKeys(pad, 1), false);
            PosClient.SignOnResult signOn = await(pos.signOn(SignOnMode.DOUBLE));
            assertEquals("00", signOn.code());
            assertTrue(signOn.keysAccepted(), "working keys decrypt under the ceremony's TMK to their KCVs");

            assertEquals(404, post(gateway, token, "/api/ceremony/terminals/NO-SUCH-SN/tmk", components(C1, C2)).statusCode());
            assertEquals(400, post(gateway, token, "/api/ceremony/terminals/SN-CERE-1/tmk", components(C1)).statusCode());
            assertEquals(400, post(gateway, token, "/api/ceremony/terminals/SN-CERE-1/tmk", components(C1, "0011")).statusCode());
            assertEquals(401, post(gateway, "wrong", "/api/ceremony/terminals/SN-CERE-1/tmk", components(C1, C2)).statusCode());
        } finally {
            await(vertx.close());
        }
    }

    @Test
    void ceremonyIsRefusedUnlessEnabled() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of())) {
            String token = gateway.app().adminToken();
            assertEquals(201, post(gateway, token, "/api/terminals", new JsonObject().put("tid", "CERE0002")
                    .put("mid", "898310048990001").put("sn", "SN-CERE-2").put("vendor", "ACME").put("model", "P100")
                    .put("keyScheme", "TMK")).statusCode());
            assertEquals(403, post(gateway, token, "/api/ceremony/terminals/SN-CERE-2/tmk", components(C1, C2)).statusCode());
        }
    }

    private static JsonObject components(String... parts) {
        return new JsonObject().put("components", new JsonArray(java.util.List.of((Object[]) parts)));
    }

    private static HttpResponse<String> post(TestGateway gateway, String token, String path, JsonObject body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .header("Authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

}
