package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A TMS package targeted at a terminal is announced in its 0810 with processing requirement 6. */
class PendingUpdateSignOnIT {
    static PospFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = PospFixture.start(3000);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void signOnAnnouncesAPendingTmsUpdate() throws Exception {
        PinPad pad = fx.registerTmkTerminal("TERMPU01", "SN-PU-01");
        PosClient before = fx.tmkClient("TERMPU01", pad);
        PosClient.SignOnResult plain = await(before.signOn(SignOnMode.DOUBLE));
        assertEquals("00", plain.reply().field(39));
        assertEquals(ProcessingRequirement.NONE, plain.reply().header().processingRequirement());

        // the fixture's terminals are vendor ACME: publish a package for ACME and target everyone
        HttpResponse<String> published = admin("POST", "/api/tms/packages?vendor=ACME&name=pay-app&version=9.0&kind=1",
                HttpRequest.BodyPublishers.ofByteArray(new byte[4096]));
        assertEquals(201, published.statusCode(), published.body());
        long id = new JsonObject(published.body()).getLong("id");
        assertEquals(200, admin("POST", "/api/tms/packages/" + id + "/targets/*", HttpRequest.BodyPublishers.noBody()).statusCode() / 100 * 100);

        PosClient.SignOnResult announced = await(fx.tmkClient("TERMPU01", pad).signOn(SignOnMode.DOUBLE));
        assertEquals("00", announced.reply().field(39));
        assertEquals(ProcessingRequirement.TMS_UPDATE, announced.reply().header().processingRequirement());
    }

    private static HttpResponse<String> admin(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fx.gateway.adminPort() + path))
                .method(method, body).header("Authorization", "Bearer " + fx.gateway.app().adminToken()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
