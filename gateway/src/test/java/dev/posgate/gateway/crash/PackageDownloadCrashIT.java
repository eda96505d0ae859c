package dev.posgate.gateway.crash;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Digests;
import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.tms.PackageStore;
import dev.posgate.terminal.tms.TmsClient;
import dev.posgate.terminal.tms.TmsIdentity;
import dev.posgate.terminal.tms.TmsUpdater;
import dev.posgate.protocol.tms.download.PackageDownload;
import dev.posgate.protocol.tms.download.PackageEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A 4 MiB package download (TMS D1/D2/D3, docs/tms.md) with the gateway SIGKILLed while a frame
 * request is in flight, half-way through. After the restart the rollout is not marked complete,
 * the terminal resumes at the offset it had verified, only the rest is sent, and the SHA-256 of
 * the whole package verifies; then the rollout is INSTALLED.
 */
class PackageDownloadCrashIT {
    private static final int SIZE = 4 * 1024 * 1024;
    private static final int FRAME = 16 * 1024;
    private static final String VENDOR = "ACME";
    private static final String SN = "SN-TMS-CRASH";

    @Test
    void killedMidDownloadTheTerminalResumesAtItsOffsetAndTheHashVerifies() throws Exception {
        try (CrashWorld world = CrashWorld.start("tms", Map.of(Setting.TMS_DMK_CEREMONY, true), false)) {
            byte[] app = new byte[SIZE];
            new Random(8).nextBytes(app);
            HttpResponse<String> pub = world.call("POST", "/api/tms/packages?vendor=" + VENDOR + "&name=pay-app&version=3.0.0&kind=1",
                    HttpRequest.BodyPublishers.ofByteArray(app));
            assertEquals(201, pub.statusCode(), pub.body());
            long id = new JsonObject(pub.body()).getLong("id");
            assertEquals(204, world.call("POST", "/api/tms/packages/" + id + "/targets/*", (JsonObject) null).statusCode());
            TmsIdentity identity = new TmsIdentity(VENDOR, "P90", SN, 0);
            PinPad pad = provision(world, "TTMS0001");

            TerminalLink first = world.link();
            TmsClient c1 = client(first, identity, pad);
            await(c1.handshake());
            List<PackageEntry> offer = await(c1.report(List.of()));
            assertEquals(1, offer.size());
            PackageStore store = new PackageStore();
            PackageDownload partial = store.downloadFor(offer.get(0));
            while (partial.offset() < SIZE / 2) partial.accept(await(c1.frame(partial.next(FRAME))));
            long cut = partial.offset();
            c1.frame(partial.next(FRAME)); // in flight when the gateway dies; never accepted
            world.killGateway();
            world.restartGateway();

            String during = rollout(world);
            assertTrue(List.of("OFFERED", "DOWNLOADING").contains(during), "not marked complete after the kill: " + during);

            TerminalLink second = world.link();
            TmsClient c2 = client(second, identity, pad);
            await(c2.handshake());
            TmsUpdater.Outcome out = await(new TmsUpdater(c2, store, FRAME).run());
            await(second.close());
            assertEquals(1, out.installed().size());
            assertEquals(SIZE - cut, out.bytes(), "resumed at the verified offset: only the rest was sent");
            assertArrayEquals(Digests.sha256(app), Digests.sha256(store.contents("pay-app")));
            assertEquals("INSTALLED", rollout(world));
            System.out.println("PackageDownloadCrashIT: cut at " + cut + " of " + SIZE + " bytes, status after restart "
                    + during + "; restart-to-ready " + world.restarts);
        }
    }

    /** Registers the terminal and forms its DMK by key ceremony on the admin API; the PIN pad holds the same DMK. */
    private static PinPad provision(CrashWorld world, String tid) throws Exception {
        HttpResponse<String> reg = world.call("POST", "/api/terminals", new JsonObject().put("tid", tid).put("mid", CrashWorld.MID)
                .put("sn", SN).put("vendor", VENDOR).put("model", "P90").put("keyScheme", "TMK"));
        assertEquals(201, reg.statusCode(), reg.body());
        byte[] c1 = Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] c2 = Parity.adjustOdd(RandomSource.secure().next(16));
        HttpResponse<String> dmk = world.call("POST", "/api/tms/terminals/" + SN + "/dmk", new JsonObject()
                .put("components", new JsonArray().add(HexFormat.of().formatHex(c1)).add(HexFormat.of().formatHex(c2))));
        assertEquals(201, dmk.statusCode(), dmk.body());
        PinPad pad = new PinPad();
        pad.write(0, KeyRole.DMK, Parity.adjustOdd(KeyComponents.combine(c1, c2)));
        return pad;
    }

    private static TmsClient client(TerminalLink link, TmsIdentity identity, PinPad pad) {
        return new TmsClient(link, identity, pad, LocalDateTime::now, RandomSource.secure());
    }

    private static String rollout(CrashWorld world) throws Exception {
        var rows = world.query("select status from tms_rollout where sn = $1 and name = 'pay-app' and version = '3.0.0'", SN);
        return rows.size() == 0 ? "none" : rows.iterator().next().getString(0);
    }
}
