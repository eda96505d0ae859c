package dev.posgate.gateway.tms;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Digests;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.tms.PackageStore;
import dev.posgate.terminal.tms.TmsClient;
import dev.posgate.terminal.tms.TmsStatusException;
import dev.posgate.terminal.tms.TmsUpdater;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.tms.download.FrameRequest;
import dev.posgate.protocol.tms.download.PackageDownload;
import dev.posgate.protocol.tms.download.PackageEntry;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.posgate.gateway.platform.config.Setting;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.posgate.gateway.cli.TmsCommand;

/** D1/D2/D3 over real TCP with sealed bodies, the PostgreSQL repository and the software HSM. */
class TmsDownloadEndToEndIT {
    static final int SIZE = 5 * 1024 * 1024;
    static TmsFixture fx;
    static byte[] app;
    static Path fsRoot;

    @BeforeAll
    static void start() throws Exception {
        fsRoot = Files.createTempDirectory(Path.of("target"), "tms-fs-");
        fx = new TmsFixture(Map.of(Setting.TMS_DMK_CEREMONY, true,
                Setting.TMS_REPOSITORIES, "FSV=filesystem,*=postgresql", Setting.TMS_FS_ROOT, fsRoot.toAbsolutePath()));
        app = new byte[SIZE];
        new Random(5).nextBytes(app);
        fx.targetEveryone(fx.publish("ACME", "pay-app", "2.1.0", app));
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void fiveMibPackageResumesAfterADroppedConnectionAndVerifies() throws Exception {
        TmsFixture.Device d = fx.device();
        PackageStore store = new PackageStore();
        assertTrue(await(TmsContexts.pendingUpdates(fx.gateway).hasPending(d.tid())));

        // first session: D1, then frames until ~2 MiB, then the connection drops
        TerminalLink first = fx.link();
        TmsClient c1 = fx.client(first, d);
        await(c1.handshake());
        List<PackageEntry> offer = await(c1.report(store.installed()));
        assertEquals(1, offer.size());
        assertEquals(SIZE, offer.get(0).size());
        assertArrayEquals(Digests.sha256(app), offer.get(0).sha256());
        PackageDownload partial = store.downloadFor(offer.get(0));
        while (partial.offset() < 2 * 1024 * 1024) partial.accept(await(c1.frame(partial.next(16 * 1024))));
        long cut = partial.offset();
        await(first.close());

        // second session: a new handshake, then the updater resumes at the cut
        TerminalLink second = fx.link();
        TmsClient c2 = fx.client(second, d);
        await(c2.handshake());
        TmsUpdater.Outcome out = await(new TmsUpdater(c2, store, 16 * 1024).run());
        assertEquals(1, out.installed().size());
        assertEquals(SIZE - cut, out.bytes(), "only the rest was downloaded");
        assertArrayEquals(app, store.contents("pay-app"));
        await(second.close());

        HttpResponse<String> status = fx.call("GET", "/api/tms/rollout?vendor=ACME&name=pay-app&version=2.1.0", (JsonObject) null);
        JsonObject row = new JsonObject(status.body()).getJsonArray("terminals").stream().map(JsonObject.class::cast)
                .filter(j -> j.getString("sn").equals(d.identity().serial())).findFirst().orElseThrow();
        assertEquals("INSTALLED", row.getString("status"));
        assertTrue(!await(TmsContexts.pendingUpdates(fx.gateway).hasPending(d.tid())));

        // a third session offers nothing: the terminal reports the version it now runs
        TerminalLink third = fx.link();
        TmsClient c3 = fx.client(third, d);
        await(c3.handshake());
        assertEquals(List.of(), await(c3.report(store.installed())));
        await(third.close());
    }

    @Test
    void tamperedSealedFrameEndsTheSession() throws Exception {
        TmsFixture.Device d = fx.device();
        try (TerminalConnection raw = fx.gateway.connect()) {
            // handshake with the terminal library over a link, then reuse its DWK on a raw socket is not possible:
            // instead, complete the handshake on the raw socket with the library's message builders
            RawSession s = RawSession.handshake(raw, d);
            byte[] body = s.seal().seal(new FrameRequest("pay-app", "2.1.0", 0, 1024).toTlvs());
            body[12] ^= 0x01;  // one ciphertext bit
            TmsMessage r = TmsMessage.unpack(raw.exchange(TmsMessage.sealed(TmsHeader.request(TmsCode.D2, 10, true), body).pack()));
            assertEquals("63", r.header().status());
            assertTrue(raw.closedByPeer(5000));
        }
    }

    @Test
    void unknownPackageAndUnknownVendorAreB3() throws Exception {
        TmsFixture.Device d = fx.device();
        TerminalLink link = fx.link();
        TmsClient c = fx.client(link, d);
        await(c.handshake());
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(c.frame(new FrameRequest("pay-app", "9.9.9", 0, 1024))));
        assertEquals("B3", ((TmsStatusException) e.getCause()).status());
        await(link.close());

        TmsFixture.Device stranger = fx.device("NOBODY");
        TerminalLink l2 = fx.link();
        TmsClient c2 = fx.client(l2, stranger);
        await(c2.handshake());
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> await(c2.report(List.of())));
        assertEquals("B3", ((TmsStatusException) e2.getCause()).status());
        await(l2.close());
    }

    @Test
    void filesystemRepositoryServesTheNewestVersionOfItsVendor() throws Exception {
        byte[] older = "old parameters".getBytes();
        byte[] newer = new byte[100_000];
        new Random(9).nextBytes(newer);
        for (var v : Map.of("1.9", older, "1.10", newer).entrySet()) {
            Path dir = Files.createDirectories(fsRoot.resolve("FSV/_all/params").resolve(v.getKey()));
            Files.write(dir.resolve("package.bin"), v.getValue());
            Files.writeString(dir.resolve("kind"), "2");
        }
        TmsFixture.Device d = fx.device("FSV");
        TerminalLink link = fx.link();
        TmsClient c = fx.client(link, d);
        await(c.handshake());
        PackageStore store = new PackageStore();
        TmsUpdater.Outcome out = await(new TmsUpdater(c, store, 16 * 1024).run());
        // (another test may have dropped a model-specific package for FSV too: look at params only)
        PackageEntry params = out.installed().stream().filter(e -> e.name().equals("params")).findFirst().orElseThrow();
        assertEquals("1.10", params.version());
        assertEquals(PackageEntry.PARAMETERS, params.kind());
        assertArrayEquals(newer, store.contents("params"));
        // a path-climbing name is just an unknown package
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(c.frame(new FrameRequest("..", "1.10", 0, 16))));
        assertEquals("B3", ((TmsStatusException) e.getCause()).status());
        await(link.close());
    }

    @Test
    void cliPublishesTargetsAGroupAndShowsRolloutStatus() throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "pkg-", ".bin");
        byte[] data = new byte[40_000];
        new Random(3).nextBytes(data);
        Files.write(file, data);
        String[] admin = {"--admin", "http://127.0.0.1:" + fx.gateway.adminPort(), "--token", fx.gateway.app().adminToken()};
        String published = cli(admin, "publish", "--json", "--vendor", "CLIV", "--name", "tables", "--version", "7", "--kind", "3", "--file", file.toString());
        long id = new JsonObject(published).getLong("id");
        TmsFixture.Device pilot = fx.device("CLIV");
        TmsFixture.Device other = fx.device("CLIV");
        cli(admin, "group", "--sn", pilot.identity().serial(), "--group", "pilot");
        cli(admin, "target", "--package", Long.toString(id), "--group", "pilot");

        TerminalLink l1 = fx.link();
        TmsClient c1 = fx.client(l1, pilot);
        await(c1.handshake());
        TmsUpdater.Outcome out = await(new TmsUpdater(c1, new PackageStore(), 16 * 1024).run());
        assertEquals(List.of("tables"), out.installed().stream().map(PackageEntry::name).toList());
        await(l1.close());

        TerminalLink l2 = fx.link();
        TmsClient c2 = fx.client(l2, other);
        await(c2.handshake());
        assertEquals(List.of(), await(c2.report(List.of())), "a terminal outside the group is offered nothing");
        await(l2.close());

        // a group member shipped with version 7 reports it in D1: installed, nothing pending, nothing offered
        TmsFixture.Device shipped = fx.device("CLIV");
        cli(admin, "group", "--sn", shipped.identity().serial(), "--group", "pilot");
        assertTrue(await(TmsContexts.pendingUpdates(fx.gateway).hasPending(shipped.tid())));
        TerminalLink l3 = fx.link();
        TmsClient c3 = fx.client(l3, shipped);
        await(c3.handshake());
        assertEquals(List.of(), await(c3.report(List.of(new PackageEntry(PackageEntry.DATA_FILE, "tables", "7", 0, null)))));
        await(l3.close());
        assertTrue(!await(TmsContexts.pendingUpdates(fx.gateway).hasPending(shipped.tid())));

        JsonObject status = new JsonObject(cli(admin, "status", "--json", "--vendor", "CLIV", "--name", "tables", "--version", "7"));
        assertEquals(2, status.getJsonArray("terminals").size());
        for (int i = 0; i < 2; i++) assertEquals("INSTALLED", status.getJsonArray("terminals").getJsonObject(i).getString("status"));
        assertTrue(status.encode().contains(pilot.identity().serial()));
        assertTrue(!status.encode().contains(other.identity().serial()));
    }

    /** Runs {@code posgate tms ...} in-process; its standard output. */
    private static String cli(String[] admin, String sub, String... args) {
        String[] all = new String[1 + admin.length + args.length];
        all[0] = sub;
        System.arraycopy(admin, 0, all, 1, admin.length);
        System.arraycopy(args, 0, all, 1 + admin.length, args.length);
        dev.posgate.gateway.cli.CliRun run = dev.posgate.gateway.cli.CliRun.of(new picocli.CommandLine(new TmsCommand()), all);
        assertEquals(0, run.exit(), sub + " failed: " + run);
        return run.out().trim();
    }

    @Test
    void terminalDetectsATamperedFrameFromTheNetworkAndEndsTheSession() throws Exception {
        TmsFixture.Device d = fx.device();
        TamperingProxy proxy = await(TamperingProxy.start(fx.vertx, fx.gateway.port()));
        TerminalLink link = await(TerminalLink.connect(fx.vertx, "127.0.0.1", proxy.port(), java.time.Duration.ofSeconds(10)));
        TmsClient c = fx.client(link, d);
        await(c.handshake());
        assertEquals(1, await(c.report(List.of())).size(), "D1 passes the proxy untouched");
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(c.frame(new FrameRequest("pay-app", "2.1.0", 0, 1024))));
        assertTrue(e.getCause() instanceof dev.posgate.terminal.tms.TmsAuthenticationException, e.getCause().toString());
        Eventually.until("the gateway closes the session", link::isClosed);
        await(proxy.close());
    }

    @Test
    void packageChangedUnderwayFailsTheHashCheckAndD3RecordsTheFailure() throws Exception {
        Path dir = Files.createDirectories(fsRoot.resolve("FSV/P90/swap/1"));
        byte[] before = new byte[50_000];
        new Random(11).nextBytes(before);
        Files.write(dir.resolve("package.bin"), before);
        TmsFixture.Device d = fx.device("FSV");
        TerminalLink link = fx.link();
        TmsClient c = fx.client(link, d);
        await(c.handshake());
        PackageEntry offered = await(c.report(List.of())).stream().filter(e -> e.name().equals("swap")).findFirst().orElseThrow();
        byte[] after = before.clone();
        after[25_000] ^= 0x55;  // same size, other content: the vendor replaced the build after D1
        Files.write(dir.resolve("package.bin"), after);
        Files.setLastModifiedTime(dir.resolve("package.bin"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        PackageDownload download = new PackageStore().downloadFor(offered);
        while (!download.complete()) download.accept(await(c.frame(download.next(16 * 1024))));
        assertTrue(!download.verified(), "the terminal refuses bytes that do not hash to D1's SHA-256");
        await(c.installed(new dev.posgate.protocol.tms.download.InstallReport("swap", "1", dev.posgate.protocol.tms.download.InstallReport.HASH_MISMATCH)));
        await(link.close());
        JsonObject status = new JsonObject(fx.call("GET", "/api/tms/rollout?vendor=FSV&name=swap&version=1", (JsonObject) null).body());
        JsonObject row = status.getJsonArray("terminals").getJsonObject(0);
        assertEquals("FAILED", row.getString("status"));
        assertEquals(1, row.getInteger("result"));
    }
}
