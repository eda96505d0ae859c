package dev.posgate.gateway.tms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.tms.TmsClient;
import dev.posgate.terminal.tms.TmsIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real gateway (PostgreSQL, software HSM over TCP) plus terminals provisioned through the admin API.
 * In the payshield HSM profile ({@link #payShield}, or every fixture with
 * {@code -Dposgate.it.hsm.profile=payshield}, the payshield-profile-suite): the gateway and its bundled
 * HSM speak standard payShield commands only, the TMS speaks protocol version 2 (docs/tms.md "Session
 * keys"), and each DMK is formed as a ZMK in a second HSM on the same LMK (the acquirer's console
 * ceremony) and provisioned under the LMK with its check value.
 */
final class TmsFixture implements AutoCloseable {
    static final String VENDOR = "ACME";
    static final String MODEL = "P90";
    private static final AtomicInteger next = new AtomicInteger();
    /** Every fixture in the payshield profile: {@code -Dposgate.it.hsm.profile=payshield}. */
    static final boolean PAYSHIELD_RUN = "payshield".equalsIgnoreCase(System.getProperty("posgate.it.hsm.profile", ""));

    final TestGateway gateway;
    final Vertx vertx = Vertx.vertx();
    final HttpClient http = HttpClient.newHttpClient();
    /** The payshield profile: the gateway's HSM speaks standard commands only; DMKs come from {@link #ceremonyHsm}. */
    final boolean payShield;
    private final HsmSimulator ceremonyServer;
    private final HsmPool ceremonyPool;
    /** In the payshield profile: an HSM on the gateway's LMK that forms keys from components (the console ceremony). */
    final Hsm ceremonyHsm;

    /** A provisioned terminal: identity, PIN pad holding its DMK in slot 0, and its TID; {@code dmk} for tests that check with their own crypto. */
    record Device(String tid, TmsIdentity identity, PinPad pinPad, byte[] dmk) {}

    TmsFixture(Map<Setting, Object> settings) throws Exception {
        this(settings, UnaryOperator.identity());
    }

    /** With the gateway's modules seeing the HSM through {@code hsmView}. */
    TmsFixture(Map<Setting, Object> settings, UnaryOperator<Hsm> hsmView) throws Exception {
        this(settings, hsmView, PAYSHIELD_RUN);
    }

    private TmsFixture(Map<Setting, Object> settings, UnaryOperator<Hsm> hsmView, boolean payShield) throws Exception {
        this.payShield = payShield;
        if (!payShield) {
            ceremonyServer = null;
            ceremonyPool = null;
            ceremonyHsm = null;
            gateway = TestGateway.start(withHsmCeremony(settings), hsmView);
            return;
        }
        Path lmk = Files.createTempDirectory(Path.of("target"), "tms-lmk-").resolve("lmk.hex");
        ceremonyServer = await(HsmSimulator.start(vertx, HsmSimConfig.builder().host("127.0.0.1").port(0)
                .lmkFile(lmk).development(true).allowClearComponents(true).build()));
        ceremonyPool = new HsmPool(vertx, HsmPoolConfig.builder().name("ceremony-hsm")
                .host("127.0.0.1", ceremonyServer.port()).connectionsPerHost(1).headerLength(4).build());
        await(ceremonyPool.start());
        ceremonyHsm = new RemoteHsm(ceremonyPool);
        Map<Setting, Object> s = new HashMap<>(settings);
        // no clear components in a payShield (ZW is an extension): the DMK ceremony is the acquirer's console's
        s.remove(Setting.TMS_DMK_CEREMONY);
        s.remove(Setting.HSM_SIM_CLEAR_COMPONENTS);
        s.put(Setting.HSM_LMK_FILE, lmk.toString());
        s.put(Setting.HSM_PROFILE, "payshield");
        s.put(Setting.FEATURES_DISABLED, "kms,psam,sm4");
        gateway = TestGateway.start(s, hsmView);
    }

    /** A fixture in the payshield HSM profile whatever the run's property (the TMK key message on). */
    static TmsFixture payShield(Map<Setting, Object> settings) throws Exception {
        Map<Setting, Object> s = new HashMap<>(settings);
        s.putIfAbsent(Setting.TMS_KEY_MESSAGE, "TMK");
        return new TmsFixture(s, UnaryOperator.identity(), true);
    }

    /** The DMK ceremony forms keys from clear components in the bundled HSM, which allows it only when told. */
    private static Map<Setting, Object> withHsmCeremony(Map<Setting, Object> settings) {
        if (!Boolean.TRUE.equals(settings.get(Setting.TMS_DMK_CEREMONY))) return settings;
        Map<Setting, Object> s = new java.util.HashMap<>(settings);
        s.putIfAbsent(Setting.HSM_SIM_CLEAR_COMPONENTS, true);
        return s;
    }

    static TmsFixture start() throws Exception {
        return start(UnaryOperator.identity());
    }

    static TmsFixture start(UnaryOperator<Hsm> hsmView) throws Exception {
        // A6: a DMK shipped under a vendor's zone ZMK is imported only in the HSM's authorised state
        return new TmsFixture(Map.of(Setting.TMS_DMK_CEREMONY, true, Setting.TMS_KEY_MESSAGE, "TMK",
                Setting.HSM_SIM_AUTHORISED, "A6"), hsmView);
    }

    HttpResponse<String> call(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .method(method, body).header("Authorization", "Bearer " + gateway.app().adminToken()).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> call(String method, String path, JsonObject json) throws Exception {
        return call(method, path, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json.encode()));
    }

    /** Publishes an application package (kind 1) through the admin API; its id. */
    long publish(String vendor, String name, String version, byte[] data) throws Exception {
        HttpResponse<String> r = call("POST", "/api/tms/packages?vendor=" + vendor + "&name=" + name + "&version=" + version + "&kind=1",
                HttpRequest.BodyPublishers.ofByteArray(data));
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    /** Offers package {@code id} to every terminal of its vendor. */
    void targetEveryone(long id) throws Exception {
        HttpResponse<String> r = call("POST", "/api/tms/packages/" + id + "/targets/*", (JsonObject) null);
        assertEquals(204, r.statusCode(), r.body());
    }

    /** Registers a terminal of {@code vendor} and provisions its DMK by key ceremony; the PIN pad holds the same DMK. */
    Device device(String vendor) throws Exception {
        return device(vendor, false);
    }

    /**
     * With {@code sm4}: a terminal of the SM4 key profile (issue 17), whose DMK is formed as an SM4
     * key from components without parity, and whose PIN pad holds it as an SM4 key.
     */
    Device device(String vendor, boolean sm4) throws Exception {
        int n = next.incrementAndGet();
        String tid = String.format("T%07d", n + (int) (ProcessHandle.current().pid() % 1000) * 10_000);
        String sn = "SN-TMS-" + tid;
        HttpResponse<String> reg = call("POST", "/api/terminals", new JsonObject().put("tid", tid).put("mid", "898310048990001")
                .put("sn", sn).put("vendor", vendor).put("model", MODEL).put("keyScheme", "TMK")
                .put("keyAlgorithm", sm4 ? "SM4" : "TDES"));
        assertEquals(201, reg.statusCode(), reg.body());
        byte[] c1 = sm4 ? RandomSource.secure().next(16) : Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] c2 = sm4 ? RandomSource.secure().next(16) : Parity.adjustOdd(RandomSource.secure().next(16));
        HttpResponse<String> dmk = payShield
                ? provisionDmkUnderLmk(sn, await(ceremonyHsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.U, c1, c2)))
                : call("POST", "/api/tms/terminals/" + sn + "/dmk", new JsonObject()
                        .put("components", new JsonArray().add(HexFormat.of().formatHex(c1)).add(HexFormat.of().formatHex(c2))));
        assertEquals(201, dmk.statusCode(), dmk.body());
        PinPad pad = new PinPad();
        byte[] dmkClear = sm4 ? KeyComponents.combine(c1, c2) : Parity.adjustOdd(KeyComponents.combine(c1, c2));
        if (sm4) pad.writeSm4(0, KeyRole.DMK, dmkClear);
        else pad.write(0, KeyRole.DMK, dmkClear);
        return new Device(tid, new TmsIdentity(vendor, MODEL, sn, 0), pad, dmkClear);
    }

    /** POST the DMK under the LMK with its 6-hex check value (the payshield profile's provisioning). */
    HttpResponse<String> provisionDmkUnderLmk(String sn, KeyWithKcv dmk) throws Exception {
        return call("POST", "/api/tms/terminals/" + sn + "/dmk", new JsonObject()
                .put("underLmk", dmk.key().toWire()).put("kcv", dmk.kcv().hex().substring(0, 6)));
    }

    Device device() throws Exception {
        return device(VENDOR);
    }

    TerminalLink link() throws Exception {
        return await(connect());
    }

    Future<TerminalLink> connect() {
        return TerminalLink.connect(vertx, "127.0.0.1", gateway.port(), Duration.ofSeconds(30));
    }

    TmsClient client(TerminalLink link, Device d) {
        return new TmsClient(link, d.identity(), d.pinPad(), LocalDateTime::now, RandomSource.secure());
    }

    @Override
    public void close() throws Exception {
        if (ceremonyPool != null) await(ceremonyPool.close());
        if (ceremonyServer != null) await(ceremonyServer.stop());
        await(vertx.close());
        gateway.close();
    }
}
