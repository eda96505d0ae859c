package dev.posgate.gateway.platform.db;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL: a real server when {@code db.url} is set, otherwise an embedded
 * one whose data directory survives restarts. Migrations run once at start-up (JDBC, on a
 * worker thread); everything afterwards goes through the non-blocking Vert.x pool.
 */
public final class Database {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final Pool pool;
    /**
     * Statements up to this length stay prepared on their connection. Vert.x's default (2,048
     * characters) left the sign-on statement (one CTE that retires and stores the keys, the state
     * row, field 46 and the audit row) out of the cache: PostgreSQL parsed, analysed and planned
     * it on every sign-on, ≈ 37 % of its CPU in a sign-on phase (docs/benchmarks.md, issue 19).
     * Every statement the gateway sends is a constant text with parameters, so the cache holds a
     * bounded set.
     */
    static final int STATEMENT_CACHE_SQL_LIMIT = 16_384;
    /** Above the number of distinct statements the gateway sends (an evicted one is prepared again). */
    static final int STATEMENT_CACHE_MAX_SIZE = 1_024;

    private final EmbeddedServer embedded;
    private final String description;

    private Database(Pool pool, EmbeddedServer embedded, String description) {
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
    }

    public static Future<Database> start(Vertx vertx, GatewayConfig config) {
        return vertx.executeBlocking(() -> startBlocking(config))
                .map(t -> {
                    PgConnectOptions connect = t.connect();
                    connect.setCachePreparedStatements(true).setPipeliningLimit(64)
                            .setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT)
                            .setPreparedStatementCacheMaxSize(STATEMENT_CACHE_MAX_SIZE)
                            // planned once per connection: the custom plans PostgreSQL otherwise keeps
                            // choosing for the sign-on statement cost a third of its CPU per sign-on; the
                            // statements are key lookups whose plan does not depend on the values
                            // (docs/architecture.md, "PostgreSQL")
                            .addProperty("plan_cache_mode", "force_generic_plan");
                    Pool pool = PgBuilder.pool()
                            // a slow or hung database must not queue requests without bound or for ever
                            .with(new PoolOptions().setMaxSize(config.integer(Setting.DB_POOL_SIZE)).setName("posgate-db")
                                    .setMaxWaitQueueSize(config.integer(Setting.DB_POOL_QUEUE_MAX))
                                    .setConnectionTimeout(config.integer(Setting.DB_POOL_WAIT_MS))
                                    .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
                            .connectingTo(connect)
                            .using(vertx)
                            .build();
                    return new Database(pool, t.embedded(), t.description());
                })
                .compose(db -> db.checkDurability().map(db));
    }

    /**
     * A journal row the gateway commits (a reversal owed, a key issued) must survive a crash of the
     * database once the commit returned. A server or role that acknowledges commits before they are
     * on disk ({@code synchronous_commit} or {@code fsync} off) is the operator's choice, not
     * overridden here (they may have chosen {@code remote_apply}); it is logged at every start.
     */
    private Future<Void> checkDurability() {
        return pool.query("select current_setting('synchronous_commit'), current_setting('fsync')").execute().map(rows -> {
            var r = rows.iterator().next();
            if ("off".equals(r.getString(0)) || "off".equals(r.getString(1))) {
                log.warn("PostgreSQL {} acknowledges commits before they are durable (synchronous_commit={}, fsync={}): a database"
                        + " crash can lose journal rows and issued keys the gateway has acted on; set both on", description,
                        r.getString(0), r.getString(1));
            }
            return null;
        });
    }

    private record Target(PgConnectOptions connect, EmbeddedServer embedded, String description) {}

    private static Target startBlocking(GatewayConfig config) throws IOException {
        String url = config.string(Setting.DB_URL);
        String appRole = appRole(config);
        if (!url.isEmpty()) {
            PgConnectOptions options = PgConnectOptions.fromUri(url);
            String migrationUrl = config.string(Setting.DB_MIGRATION_URL);
            PgConnectOptions owner = migrationUrl.isEmpty() ? options : PgConnectOptions.fromUri(migrationUrl);
            migrate(jdbcUrl(owner), owner.getUser(), owner.getPassword(), appRole, config.integer(Setting.DB_CONNECT_RETRIES));
            if (!options.getUser().equals(appRole)) {
                log.warn("db.url connects as '{}', not as db.app.role '{}': the audit log is protected by its trigger only",
                        options.getUser(), appRole);
            }
            return new Target(options, null, options.getHost() + ":" + options.getPort() + "/" + options.getDatabase());
        }
        Path dir = config.dataDir().resolve("pg");
        Files.createDirectories(dir);
        EmbeddedAuthentication auth = EmbeddedAuthentication.load(config.dataDir(), appRole);
        long started = System.nanoTime();
        EmbeddedServer pg = EmbeddedServer.start(dir, config.integer(Setting.DB_EMBEDDED_PORT), port -> EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                // stopped by EmbeddedServer's exit hook, after the gateway's orderly stop: zonky's ran concurrently with it
                .setRegisterShutdownHook(false)
                // zonky's builder turns synchronous_commit off (its default suits tests): here a commit
                // must be on disk when it returns, as the journal's rows promise (docs/architecture.md)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "100")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setDataDirectoryCustomizer(auth::secure)
                // zonky's readiness probe connects as the superuser: it needs the password too
                .setConnectConfig("password", auth.superuserPassword()));
        log.info("embedded PostgreSQL on 127.0.0.1:{} (data {}) started in {} ms",
                pg.port(), dir.toAbsolutePath(), (System.nanoTime() - started) / 1_000_000);
        PgConnectOptions options = new PgConnectOptions()
                .setHost("localhost").setPort(pg.port()).setDatabase("postgres").setUser(EmbeddedAuthentication.SUPERUSER);
        try {
            migrate(jdbcUrl(options), EmbeddedAuthentication.SUPERUSER, auth.superuserPassword(), appRole,
                    config.integer(Setting.DB_CONNECT_RETRIES));
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
        // The superuser only migrates; the gateway itself runs as the app role, with its own password.
        return new Target(options.setUser(appRole).setPassword(auth.appPassword()), pg, "embedded " + dir.toAbsolutePath());
    }

    private static String jdbcUrl(PgConnectOptions o) {
        return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    }

    /** The app role's name goes into SQL as an identifier: only a plain lower-case one is accepted. */
    private static String appRole(GatewayConfig config) {
        String role = config.string(Setting.DB_APP_ROLE);
        if (!role.matches("[a-z_][a-z0-9_]{0,62}")) throw new IllegalArgumentException("db.app.role must be a plain identifier");
        return role;
    }

    /**
     * Runs the migrations; a connection that cannot be made is tried again {@code connectRetries}
     * times (Flyway waits 1 s, 2 s, 4 s... between tries), so a gateway started next to a database
     * that is still coming up, or behind a proxy that dropped one attempt, waits instead of failing.
     */
    private static void migrate(String jdbcUrl, String user, String password, String appRole, int connectRetries) {
        var result = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .connectRetries(connectRetries)
                .locations("classpath:db/migration")
                .placeholders(Map.of("appRole", appRole))
                .load()
                .migrate();
        log.info("database schema at version {} ({} migrations applied)", result.targetSchemaVersion, result.migrationsExecuted);
    }

    /**
     * Declares that a shutdown hook of this JVM stops the gateway in order, closing its database last
     * ({@code serve}, {@code demo}): at JVM exit (Ctrl-C, SIGTERM) the embedded PostgreSQL then waits
     * for that close instead of stopping under the draining gateway.
     */
    public static void stopInOrderAtExit() {
        EmbeddedServer.awaitOrderlyStopAtExit();
    }

    public Pool pool() {
        return pool;
    }

    public String description() {
        return description;
    }

    /** A cheap round trip for readiness checks. */
    public Future<Void> ping() {
        return pool.query("select 1").execute().mapEmpty();
    }

    public Future<Void> close(Vertx vertx) {
        return pool.close().eventually(() -> vertx.executeBlocking(() -> {
            if (embedded != null) embedded.close();
            return null;
        }));
    }
}
