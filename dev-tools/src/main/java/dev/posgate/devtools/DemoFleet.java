package dev.posgate.devtools;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.devtools.DemoProgress.Flow;
import dev.posgate.gateway.kms.KmsModule;
import dev.posgate.gateway.platform.ca.CaStore;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.pki.CertificateRole;
import dev.posgate.protocol.pki.CertificateVerifier;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.kms.BatchUploader;
import dev.posgate.terminal.kms.Card;
import dev.posgate.terminal.kms.KmsClient;
import dev.posgate.terminal.kms.OperatorTerminal;
import dev.posgate.terminal.kms.SelfCheck;
import dev.posgate.terminal.kms.SensorReadings;
import dev.posgate.terminal.kms.TerminalOutput;
import dev.posgate.terminal.kms.TkGenerationGuard;
import dev.posgate.terminal.kms.TransmissionKeyVault;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.terminal.tms.PackageStore;
import dev.posgate.terminal.tms.TmsClient;
import dev.posgate.terminal.tms.TmsIdentity;
import dev.posgate.terminal.tms.TmsUpdater;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small simulated fleet of TDES terminals and the whole life of each, every step done by the
 * parts that exist for it (nothing here speaks a protocol itself): registration with {@code
 * posgate terminal register}; at the factory each terminal's PIN pad generates its transmission
 * key for the KMS certificate (pos-terminal's TkGenerationGuard, K1 through KmsClient), the
 * operator terminal (OperatorTerminal) collects them into one batch signed by an operator and an
 * administrator card and uploads it (BatchUploader); then per terminal, in parallel: remote TMK
 * download K2-K4 (KmsClient), DMK by key ceremony ({@code posgate tms provision-dmk}), TMS handshake and
 * the download of the package published for the demo (TmsClient, TmsUpdater), a 004 sign-on,
 * purchases with PIN, a purchase and its reversal, and a settlement in balance (PosClient).
 */
final class DemoFleet {
    static final String MID = "898310048990001";
    static final String VENDOR = "ACME";
    static final String MODEL = "P90";
    private static final String PAN = "6222021234567890123";
    private static final String PIN = "123456";
    private static final Duration STEP = Duration.ofSeconds(60);

    private final DemoWorld world;
    private final DemoProgress progress;
    private final int terminals;
    private final int purchases;
    private final String run = String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));

    DemoFleet(DemoWorld world, DemoProgress progress, int terminals, int purchases) {
        this.world = world;
        this.progress = progress;
        this.terminals = terminals;
        this.purchases = purchases;
        progress.expect(Flow.REGISTER, terminals);
        progress.expect(Flow.TK_UPLOAD, terminals);
        progress.expect(Flow.TMK_DOWNLOAD, terminals);
        progress.expect(Flow.TMS_DOWNLOAD, terminals);
        progress.expect(Flow.SIGN_ON, terminals);
        progress.expect(Flow.PURCHASE, terminals * purchases);
        progress.expect(Flow.REVERSAL, terminals);
        progress.expect(Flow.SETTLEMENT, terminals);
    }

    /** One simulated terminal: its ids and the PIN pad that will hold its TK, TMK (slot 1) and DMK (slot 0). */
    static final class Device {
        final String tid;
        final String sn;
        final PinPad pinPad = new PinPad();
        final TransmissionKeyVault vault = new TransmissionKeyVault(pinPad);
        final TkGenerationGuard guard = new TkGenerationGuard(vault, () -> new SensorReadings(true, 5.0, 25),
                SelfCheck.passing(), TkGenerationGuard.SafeRanges.defaults(), RandomSource.secure());

        Device(String tid, String sn) {
            this.tid = tid;
            this.sn = sn;
        }
    }

    /** The ids of this run's terminals: TIDs D&lt;run&gt;01.., serials DEMO-&lt;run&gt;-01.. (a new run id each time: the database is kept). */
    List<Device> devices() {
        List<Device> out = new ArrayList<>();
        for (int i = 1; i <= terminals; i++) out.add(new Device(String.format("D%s%02d", run, i), String.format("DEMO-%s-%02d", run, i)));
        return out;
    }

    /** Runs the fleet; the outcome is in the progress counters. */
    List<Device> run() throws Exception {
        List<Device> all = devices();
        List<Device> registered = new ArrayList<>();
        for (Device d : all) {
            if (step(d, Flow.REGISTER, () -> world.cli("terminal", "register", "--tid", d.tid, "--mid", MID, "--sn", d.sn,
                    "--vendor", VENDOR, "--model", MODEL))) registered.add(d);
        }
        if (registered.size() < all.size()) progress.failed(Flow.TK_UPLOAD, all.size() - registered.size());
        List<Device> uploaded = uploadTks(registered);
        String packageVersion = publishPackage();
        boolean upstream = world.awaitUpstream(Duration.ofSeconds(30));
        if (!upstream) progress.note("the gateway has no connection to the host simulator yet: purchases will get 91");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(uploaded.size(), 8)));
        try {
            List<java.util.concurrent.Future<?>> lives = new ArrayList<>();
            for (Device d : uploaded) lives.add(pool.submit(() -> life(d, packageVersion)));
            for (java.util.concurrent.Future<?> f : lives) f.get();
        } finally {
            pool.shutdownNow();
        }
        // the steps of terminals that never got that far
        int notUploaded = all.size() - uploaded.size();
        if (notUploaded > 0) {
            for (Flow f : List.of(Flow.TMK_DOWNLOAD, Flow.TMS_DOWNLOAD, Flow.SIGN_ON, Flow.REVERSAL, Flow.SETTLEMENT)) {
                progress.failed(f, notUploaded);
            }
            progress.failed(Flow.PURCHASE, notUploaded * purchases);
        }
        return all;
    }

    /** Factory TK generation, the operator terminal's batch signed by both cards, its upload (one TK-upload per terminal accepted). */
    private List<Device> uploadTks(List<Device> registered) throws Exception {
        if (registered.isEmpty()) return List.of();
        Path cards = Files.createTempDirectory("posgate-demo-cards");
        try {
            CaStore ca = new CaStore(KmsModule.caDir(world.app.config()));
            CertificateAuthority root = ca.root();
            CertificateVerifier verifier = CertificateVerifier.trusting(root.root());
            TerminalLink link = DemoWorld.get(connect(), 1, TimeUnit.MINUTES);
            X509Certificate kms;
            try {
                kms = DemoWorld.get(KmsClient.certificate(link, "FACTORY", verifier), 1, TimeUnit.MINUTES);
            } finally {
                link.close();
            }
            Card operator = card(root, cards, CertificateRole.OPERATOR, "demo-operator");
            Card administrator = card(root, cards, CertificateRole.ADMINISTRATOR, "demo-administrator");
            OperatorTerminal ot = new OperatorTerminal(verifier, "DEMO-" + run);
            for (Device d : registered) ot.collect(new TerminalOutput(d.sn, null, d.guard.generate(kms.getEncoded(), verifier, Instant.now())));
            BatchUploader.Result r = DemoWorld.get(BatchUploader.upload(world.vertx, "127.0.0.1", world.app.adminPort(),
                    world.app.adminToken(), ot.signedBatch(operator, administrator, Instant.now())), 2, TimeUnit.MINUTES);
            List<Device> accepted = new ArrayList<>();
            JsonArray results = r.body() == null ? new JsonArray() : r.body().getJsonArray("results", new JsonArray());
            for (Device d : registered) {
                boolean ok = r.status() == 200 && results.stream().map(JsonObject.class::cast)
                        .anyMatch(o -> d.sn.equals(o.getString("sn")) && "00".equals(o.getString("code")));
                if (ok) {
                    accepted.add(d);
                    progress.ok(Flow.TK_UPLOAD);
                } else {
                    progress.failed(Flow.TK_UPLOAD, 1);
                    progress.note(d.tid + " tk-upload failed: HTTP " + r.status() + " " + (r.body() == null ? "" : r.body().encode()));
                }
            }
            return accepted;
        } catch (Exception e) {
            progress.failed(Flow.TK_UPLOAD, registered.size());
            progress.note("tk-upload failed: " + describe(e));
            return List.of();
        } finally {
            try (Stream<Path> files = Files.walk(cards)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Card card(CertificateAuthority root, Path dir, CertificateRole role, String holder) throws Exception {
        Path p12 = dir.resolve(holder + ".p12");
        CaStore.issueCard(root, role, holder, 1, p12, CaStore.DEV_PASSWORD);
        return Card.load(p12, CaStore.DEV_PASSWORD);
    }

    /** The demo's application package ({@code posgate tms publish}), offered to every terminal ({@code tms target}); its version. */
    private String publishPackage() throws Exception {
        String version = "1." + run;
        Path file = Files.createTempFile("posgate-demo-app", ".bin");
        try {
            Files.writeString(file, "posgate demo application " + version + "\n".repeat(1 + 4096 / 2), StandardCharsets.US_ASCII);
            JsonObject published = new JsonObject(world.cli("tms", "publish", "--json", "--vendor", VENDOR, "--model", MODEL, "--name", "demo-app",
                    "--version", version, "--file", file.toString()));
            world.cli("tms", "target", "--package", String.valueOf(published.getLong("id")), "--group", "*");
        } catch (Exception e) {
            progress.note("publishing the demo package failed: " + describe(e));
        } finally {
            Files.deleteIfExists(file);
        }
        return version;
    }

    /** One terminal's life after its TK upload; a step that fails ends it (the later steps count as failed). */
    private void life(Device d, String packageVersion) {
        TerminalLink link = null;
        int remainingPurchases = purchases;
        List<Flow> left = new ArrayList<>(List.of(Flow.TMK_DOWNLOAD, Flow.TMS_DOWNLOAD, Flow.SIGN_ON, Flow.REVERSAL, Flow.SETTLEMENT));
        try {
            // a connection per protocol, as a terminal's KMS, TMS and POS applications would open
            if (!step(d, Flow.TMK_DOWNLOAD, () -> {
                TerminalLink kms = await(connect());
                try {
                    await(KmsClient.downloadTmk(kms, d.sn, null, 1, d.vault));
                } finally {
                    kms.close();
                }
            })) return;
            left.remove(Flow.TMK_DOWNLOAD);

            if (!step(d, Flow.TMS_DOWNLOAD, () -> {
                TerminalLink tms = await(connect());
                try {
                    tms(d, tms, packageVersion);
                } finally {
                    tms.close();
                }
            })) return;
            left.remove(Flow.TMS_DOWNLOAD);

            link = await(connect());
            PosClient pos = new PosClient(link, d.tid, MID, new PinPadKeys(d.pinPad, 1), false);
            if (!step(d, Flow.SIGN_ON, () -> {
                PosClient.SignOnResult r = await(pos.signOn(SignOnMode.DOUBLE_WITH_TDK));
                if (!"00".equals(r.code()) || !r.keysAccepted()) throw new IllegalStateException("response code " + r.code()
                        + (r.keysAccepted() ? "" : ", working keys not accepted"));
            })) return;
            left.remove(Flow.SIGN_ON);

            long total = 0;
            int approved = 0;
            for (int i = 0; i < purchases; i++) {
                long amount = 1_000L * (i + 1);
                remainingPurchases--;
                if (!step(d, Flow.PURCHASE, () -> approved(pos, pos.purchase(PAN, amount, PIN), "purchase"))) return;
                total += amount;
                approved++;
            }

            if (!step(d, Flow.REVERSAL, () -> {
                PosMessage purchase = pos.purchase(PAN, 777, PIN);
                approved(pos, purchase, "the purchase to reverse");
                approved(pos, pos.reversalOf(purchase), "reversal");
            })) return;
            left.remove(Flow.REVERSAL);

            int count = approved;
            long amount = total;
            if (!step(d, Flow.SETTLEMENT, () -> {
                PosClient.Reply r = await(pos.send(pos.settlement(count, amount, 0, 0)));
                if (!"00".equals(r.code())) throw new IllegalStateException("response code " + r.code());
                if (!r.message().field(48).endsWith("1")) throw new IllegalStateException("totals out of balance: " + r.message().field(48));
            })) return;
            left.remove(Flow.SETTLEMENT);
        } catch (Exception e) {
            progress.note(d.tid + ": " + describe(e));
        } finally {
            for (Flow f : left) progress.failed(f, 1);
            if (remainingPurchases > 0) progress.failed(Flow.PURCHASE, remainingPurchases);
            if (link != null) link.close();
        }
    }

    /** The DMK by key ceremony (the PIN pad gets the same key in slot 0), the TMS handshake, the download of the demo package. */
    private void tms(Device d, TerminalLink link, String packageVersion) throws Exception {
        byte[] c1 = Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] c2 = Parity.adjustOdd(RandomSource.secure().next(16));
        world.cli("tms", "provision-dmk", "--sn", d.sn, "--component", HexFormat.of().formatHex(c1), "--component", HexFormat.of().formatHex(c2));
        d.pinPad.write(0, KeyRole.DMK, Parity.adjustOdd(KeyComponents.combine(c1, c2)));
        TmsClient client = new TmsClient(link, new TmsIdentity(VENDOR, MODEL, d.sn, 0), d.pinPad, LocalDateTime::now, RandomSource.secure());
        await(client.handshake());
        TmsUpdater.Outcome outcome = await(new TmsUpdater(client, new PackageStore(), 16 * 1024).run());
        if (!outcome.failed().isEmpty() || outcome.installed().stream().noneMatch(e -> e.version().equals(packageVersion))) {
            throw new IllegalStateException("package demo-app " + packageVersion + " not installed (installed " + outcome.installed()
                    + ", failed " + outcome.failed() + ")");
        }
    }

    private static void approved(PosClient pos, PosMessage m, String what) throws Exception {
        PosClient.Reply r = await(pos.send(m));
        if (!"00".equals(r.code())) throw new IllegalStateException(what + ": response code " + r.code());
        if (!Boolean.TRUE.equals(r.macValid())) throw new IllegalStateException(what + ": reply MAC not valid");
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step}, counts it ok or failed (with a note saying why); true when ok. */
    private boolean step(Device d, Flow flow, Step step) {
        try {
            step.run();
            progress.ok(flow);
            return true;
        } catch (Exception e) {
            progress.failed(flow, 1);
            progress.note(d.tid + " " + flow.label + " failed: " + describe(e));
            return false;
        }
    }

    private Future<TerminalLink> connect() {
        return TerminalLink.connect(world.vertx, "127.0.0.1", world.app.port(), Duration.ofSeconds(10));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return DemoWorld.get(f, STEP.toSeconds(), TimeUnit.SECONDS);
    }

    static String describe(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }
}
