package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.terminal.psam.PsamCard;
import dev.posgate.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.posgate.gateway.posp.store.PsamRegistry;

/**
 * PSAM terminals end to end: issuance through the admin API, the card personalised from the
 * exported key, binding by the monitoring unit, sign-on with keys under the card master key,
 * transactions, and a card moved to another terminal, seen by the POSP through LISTEN/NOTIFY.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(PospFixture.PerClass.class)
class PsamEndToEndIT {
    private static final String PAN = "6222021234567890123";
    private static final String CARD = "1000000000000042";
    private final PospFixture world;
    private byte[] stationKey;

    PsamEndToEndIT(PospFixture world) {
        this.world = world;
    }

    @BeforeAll
    void start() throws Exception {
        call("POST", "/api/psam/root-key", null, 201);
        world.storeKey(KeyRecord.OwnerType.SYSTEM, "station-1", "ZMK", 0,
                await(world.hsm().formKeyFromComponents(KeyType.ZMK, KeyScheme.U, PospFixture.TMK_1, PospFixture.STATION_2)));
        stationKey = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.STATION_2));
        world.register("PSAM0001", "SN-P001", Terminal.KeyScheme.PSAM);
        world.register("PSAM0002", "SN-P002", Terminal.KeyScheme.PSAM);
    }

    @Test
    void issuedCardSignsOnTransactsAndFollowsItsBindingToAnotherTerminal() throws Exception {
        JsonObject issued = call("POST", "/api/psam/cards", new JsonObject().put("cardNumber", CARD).put("station", "station-1"), 201);
        String cardKey = issued.getString("cardKey");
        assertTrue(cardKey.startsWith("X"), "double-length key under the transport key");
        PsamCard card = PsamCard.issue(CARD, stationKey, HexFormat.of().parseHex(cardKey.substring(1)),
                HexFormat.of().parseHex(issued.getString("kcv")));
        // A card personalised with the wrong transport key refuses the key.
        assertThrows(IllegalArgumentException.class, () -> PsamCard.issue(CARD, new byte[16],
                HexFormat.of().parseHex(cardKey.substring(1)), HexFormat.of().parseHex(issued.getString("kcv"))));

        PosClient first = world.client("PSAM0001", card);
        assertEquals("97", await(first.signOn(SignOnMode.DOUBLE)).code(), "no card bound yet");

        call("PUT", "/api/psam/bindings/PSAM0001", new JsonObject().put("cardNumber", CARD), 200);
        assertTrue(untilSignedOn(first, SignOnMode.SINGLE).keysAccepted(), "legacy single-length keys");
        PosClient.SignOnResult signOn = await(first.signOn(SignOnMode.DOUBLE));
        assertTrue(signOn.keysAccepted(), "the card accepts keys under its own master key");
        assertEquals(40, signOn.reply().binary(62).length);
        signOn = await(first.signOn(SignOnMode.DOUBLE_WITH_TDK));
        assertTrue(signOn.keysAccepted());
        assertEquals(60, signOn.reply().binary(62).length);
        PosClient.Reply paid = await(first.send(first.purchase(PAN, 8_800, "123456")));
        assertEquals("00", paid.code(), "PIN block and MAC from the PSAM");
        assertEquals(Boolean.TRUE, paid.macValid());

        // The monitoring unit moves the card to the second terminal.
        call("PUT", "/api/psam/bindings/PSAM0002", new JsonObject().put("cardNumber", CARD), 200);
        PosClient second = world.client("PSAM0002", card);
        PosClient.SignOnResult there = untilSignedOn(second, SignOnMode.DOUBLE);
        assertTrue(there.keysAccepted());
        assertEquals("00", await(second.send(second.purchase(PAN, 100, "123456"))).code());

        // The old terminal's keys were issued for a card it no longer holds.
        PosClient.Reply refused = await(first.sendRaw(first.purchase(PAN, 100, null).set(64, new byte[8]).pack()));
        assertEquals("77", refused.code());
        assertEquals("97", await(first.signOn(SignOnMode.DOUBLE)).code(), "old binding refused");

        JsonArray history = call("GET", "/api/psam/bindings/PSAM0001", null, 200).getJsonArray("bindings");
        assertEquals(1, history.size());
        assertFalse(history.getJsonObject(0).getString("unboundAt") == null, "history kept with its end");
    }

    @Test
    void aSecondNodeLearnsBindingsThroughNotify() throws Exception {
        call("POST", "/api/psam/cards", new JsonObject().put("cardNumber", "77").put("station", "station-1"), 201);
        PsamRegistry otherNode = new PsamRegistry(world.vertx, world.db());
        await(otherNode.start());
        try {
            call("PUT", "/api/psam/bindings/PSAM0009", new JsonObject().put("cardNumber", "77"), 200);
            Eventually.until("the other node learns the binding", () -> otherNode.cardOf("PSAM0009").isPresent());
            assertEquals("77", otherNode.cardOf("PSAM0009").orElse(null));
            call("DELETE", "/api/psam/bindings/PSAM0009", null, 204);
            Eventually.until("the other node forgets the binding", () -> otherNode.cardOf("PSAM0009").isEmpty());
            assertTrue(otherNode.cardOf("PSAM0009").isEmpty());
        } finally {
            await(otherNode.close());
        }
        assertEquals(400, callStatus("PUT", "/api/psam/bindings/PSAM0009", new JsonObject().put("cardNumber", "404404")));
    }

    @Test
    void theCliIssuesAndBindsThroughTheAdminApi() throws Exception {
        String admin = "http://127.0.0.1:" + world.gateway.adminPort();
        String token = world.gateway.app().adminToken();
        assertEquals(0, dev.posgate.gateway.cli.Main.run("psam", "issue", "--admin", admin, "--token", token,
                "--card", "5550001", "--station", "station-1"));
        assertEquals(1, dev.posgate.gateway.cli.Main.run("psam", "issue", "--admin", admin, "--token", token,
                "--card", "55x", "--station", "station-1"), "malformed card number refused");
        assertEquals(0, dev.posgate.gateway.cli.Main.run("psam", "bind", "--admin", admin, "--token", token,
                "--card", "5550001", "--tid", "PSAM0005"));
        JsonArray history = call("GET", "/api/psam/bindings/PSAM0005", null, 200).getJsonArray("bindings");
        assertEquals("5550001", history.getJsonObject(0).getString("cardNumber"));
    }

    @Test
    void keysAreProvisionedInTheHsmThroughTheAdminApi() throws Exception {
        assertEquals(409, callStatus("POST", "/api/psam/root-key", null), "an ACTIVE root is not replaced by accident");
        JsonObject zone = call("POST", "/api/posp/zone-keys", new JsonObject().put("zone", "demo"), 201);
        assertTrue(zone.getJsonObject("zpk").getString("underLmk").startsWith("U"));
        assertEquals(8, zone.getJsonObject("zak").getString("kcv").length(), "the stored KCV form: 4 bytes");
        assertEquals(zone.getJsonObject("zek").getString("underLmk"),
                await(world.keys().active(KeyRecord.OwnerType.ZONE, "demo", "ZEK", 0)).orElseThrow().lmkValue());
        KeyRecord zak = await(world.keys().active(KeyRecord.OwnerType.ZONE, "demo", "ZAK", 0)).orElseThrow();
        assertEquals(zone.getJsonObject("zak").getString("underLmk"), zak.lmkValue());
        assertEquals(zone.getJsonObject("zak").getString("kcv"), zak.kcv());
        assertEquals(zak.kcv(), await(world.hsm().kcv(KeyType.ZAK, LmkKey.parse(zak.lmkValue()))).storedHex(), "the HSM recomputes the same KCV");
    }

    /**
     * Sign-on retried until the binding has propagated (to every node, through NOTIFY: see
     * {@link #aSecondNodeLearnsBindingsThroughNotify}).
     */
    private static PosClient.SignOnResult untilSignedOn(PosClient pos, SignOnMode mode) throws Exception {
        return Eventually.value("a sign-on once the binding has propagated", () -> await(pos.signOn(mode)),
                r -> "00".equals(r.code()));
    }

    private JsonObject call(String method, String path, JsonObject body, int expected) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertEquals(expected, r.statusCode(), r.body());
        return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
    }

    private int callStatus(String method, String path, JsonObject body) throws Exception {
        return send(method, path, body).statusCode();
    }

    private HttpResponse<String> send(String method, String path, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + world.gateway.adminPort() + path))
                .header("Authorization", "Bearer " + world.gateway.app().adminToken())
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
