package dev.posgate.gateway.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.AuditLog;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.platform.db.NewTerminal;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.db.TerminalRepository;
import dev.posgate.gateway.support.GatewayProcess;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.hostsim.HostRules;
import dev.posgate.hostsim.HostSimulator;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.BusinessDayZone;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A gateway in its own OS process, and everything that must outlive it in the test JVM: the
 * PostgreSQL database, the software HSM (over its wire protocol; the gateway reaches it through
 * {@code hsm.hosts}, so its LMK and the keys under it survive the gateway) and, for the POSP, the
 * upstream host simulator. Ports and the data directory are fixed once, so a restarted gateway is
 * the same node as the killed one.
 */
final class CrashWorld implements AutoCloseable {
    static final byte[] TMK_1 = HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210");
    static final byte[] TMK_2 = HexFormat.of().parseHex("1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A");
    static final String MID = "898310048990001";

    final Vertx vertx = Vertx.vertx();
    final Path dir;
    final String dbUrl;
    final Pool db;
    final HsmSimulator hsmServer;
    final HsmPool hsmPool;
    final Hsm hsm;
    final HostSimulator host;
    final String adminToken = UUID.randomUUID().toString();
    final HttpClient http = HttpClient.newHttpClient();
    private final Map<Setting, Object> settings = new EnumMap<>(Setting.class);
    /** Launch-to-ready time of every gateway start after a kill. */
    final List<Duration> restarts = new ArrayList<>();
    GatewayProcess gateway;

    private CrashWorld(String name, Map<Setting, Object> extra, boolean upstream) throws Exception {
        dir = Files.createTempDirectory(Path.of("target"), "crash-" + name + "-").toAbsolutePath();
        dbUrl = TestPostgres.newDatabaseUrl();
        db = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(PgConnectOptions.fromUri(dbUrl)).using(vertx).build();
        hsmServer = await(HsmSimulator.start(vertx, HsmSimConfig.builder().host("127.0.0.1").port(0)
                .lmkFile(dir.resolve("lmk.hex")).development(true).allowClearComponents(true).build())); // TMK, DMK ceremonies
        hsmPool = new HsmPool(vertx, HsmPoolConfig.builder().name("test-hsm")
                .host("127.0.0.1", hsmServer.port()).connectionsPerHost(1).headerLength(4).build());
        await(hsmPool.start());
        hsm = new RemoteHsm(hsmPool);
        KeyWithKcv zpk = null;
        KeyWithKcv zak = null;
        if (upstream) {
            zpk = await(hsm.generateKey(KeyType.ZPK));
            zak = await(hsm.generateKey(KeyType.ZAK));
            host = await(HostSimulator.start(vertx, hsm, HostRules.defaults(), zpk.key(), zak.key(), 0, "127.0.0.1", 0));
            settings.put(Setting.UPSTREAM_HOST, "127.0.0.1:" + host.port());
            settings.put(Setting.UPSTREAM_CONNECTIONS, 1);
            settings.put(Setting.UPSTREAM_REVERSAL_RETRY, 1);
        } else {
            host = null;
        }
        settings.put(Setting.DATA_DIR, dir.resolve("data"));
        settings.put(Setting.DB_URL, dbUrl);
        settings.put(Setting.DB_POOL_SIZE, 4);
        settings.put(Setting.POSP_TIMEZONE, BusinessDayZone.farFromMidnight());
        settings.put(Setting.HSM_HOSTS, "127.0.0.1:" + hsmServer.port());
        settings.put(Setting.HSM_CONNECTIONS, 1);
        settings.put(Setting.LISTENER_HOST, "127.0.0.1");
        settings.put(Setting.LISTENER_PORT, GatewayProcess.freePort());
        settings.put(Setting.LISTENER_INSTANCES, 1);
        settings.put(Setting.ADMIN_PORT, GatewayProcess.freePort());
        settings.put(Setting.ADMIN_TOKEN, adminToken);
        // The first start generates the KMS and key-loader RSA pairs in the HSM (EI), which a
        // loaded 2-core build machine can stretch past the 2 s HSM timeout: generous liveness
        // timeout, and 1024-bit pairs unless a test asks otherwise (TmkDownloadCrashIT does).
        settings.put(Setting.HSM_TIMEOUT, 8000);
        settings.put(Setting.KMS_RSA_BITS, 1024);
        settings.putAll(extra);
        gateway = GatewayProcess.start(settings, dir);
        if (upstream) {
            storeKey(KeyRecord.OwnerType.ZONE, "upstream", "ZPK", 0, zpk);
            storeKey(KeyRecord.OwnerType.ZONE, "upstream", "ZAK", 0, zak);
        }
    }

    static CrashWorld start(String name, Map<Setting, Object> extra, boolean upstream) throws Exception {
        return new CrashWorld(name, extra, upstream);
    }

    /** SIGKILLs the gateway and checks that it was a SIGKILL that ended it. */
    void killGateway() throws Exception {
        assertEquals(GatewayProcess.SIGKILL_EXIT, gateway.kill(), "the gateway died of SIGKILL");
    }

    /** Starts the gateway again on the same ports, database, HSM and data directory. */
    void restartGateway() throws Exception {
        gateway = GatewayProcess.start(settings, dir);
        restarts.add(gateway.startup());
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    int port() {
        return (Integer) settings.get(Setting.LISTENER_PORT);
    }

    int adminPort() {
        return (Integer) settings.get(Setting.ADMIN_PORT);
    }

    TerminalLink link() throws Exception {
        return await(TerminalLink.connect(vertx, "127.0.0.1", port(), Duration.ofSeconds(30)));
    }

    TerminalConnection connect() throws Exception {
        return TerminalConnection.open("127.0.0.1", port());
    }

    HttpResponse<String> call(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + path))
                .method(method, body).header("Authorization", "Bearer " + adminToken).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> call(String method, String path, JsonObject json) throws Exception {
        return call(method, path, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json.encode()));
    }

    RowSet<Row> query(String sql, Object... params) throws Exception {
        return await(db.preparedQuery(sql).execute(Tuple.wrap(params)));
    }

    long count(String sql, Object... params) throws Exception {
        return query(sql, params).iterator().next().getLong(0);
    }

    KeyRepository keys() {
        return new KeyRepository(db);
    }

    void storeKey(KeyRecord.OwnerType owner, String ownerId, String type, int index, KeyWithKcv k) throws Exception {
        await(db.withConnection(c -> keys().store(c, owner, ownerId, type, index, k.key().toWire(), k.kcv().hex(),
                KeyRecord.State.ACTIVE)));
    }

    /** Registers a TMK terminal (its TMK comes from elsewhere: the KMS flows or {@link #registerTmkTerminal}). */
    void register(String tid, String sn) throws Exception {
        await(new TerminalRepository(db, new AuditLog(db)).register(new NewTerminal(tid, MID, sn, null,
                "ACME", "P100", Terminal.KeyScheme.TMK, Terminal.MacAlgorithm.ECB), "test"));
    }

    /** Registers a TMK terminal whose TMK (slot 1) is formed in the HSM from known components and written into a new PIN pad. */
    PinPad registerTmkTerminal(String tid, String sn) throws Exception {
        register(tid, sn);
        storeKey(KeyRecord.OwnerType.TERMINAL, sn, "TMK", 1, await(hsm.formKeyFromComponents(KeyType.TMK, KeyScheme.U, TMK_1, TMK_2)));
        PinPad pad = new PinPad();
        pad.write(1, KeyRole.TMK, Parity.adjustOdd(KeyComponents.combine(TMK_1, TMK_2)));
        return pad;
    }

    PosClient pos(String tid, PinPad pad) throws Exception {
        return new PosClient(link(), tid, MID, new PinPadKeys(pad, 1), false);
    }

    /** Polls {@code sql} (a single value) until it equals {@code expected}; returns it. */
    Object awaitValue(Object expected, String sql, Object... params) throws Exception {
        return Eventually.value(sql + " = " + expected, () -> {
            RowSet<Row> rows = query(sql, params);
            return rows.size() == 0 ? null : rows.iterator().next().getValue(0);
        }, expected::equals);
    }

    @Override
    public void close() throws Exception {
        if (gateway != null) gateway.close();
        if (host != null) await(host.stop());
        await(db.close());
        await(hsmPool.close());
        await(hsmServer.stop());
        await(vertx.close());
    }
}
