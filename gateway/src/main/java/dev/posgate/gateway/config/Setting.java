package dev.posgate.gateway.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every configuration key of the gateway, with its default and meaning.
 *
 * <p>One list, so that the file loader, the environment overrides and docs/configuration.md
 * cannot drift apart (a test checks the doc names every key). A key {@code listener.port}
 * is overridden by the environment variable {@code POSGATE_LISTENER_PORT}.
 */
public enum Setting {
    DATA_DIR("data.dir", "var", "Directory for embedded PostgreSQL, the development LMK and the admin token."),
    LISTENER_HOST("listener.host", "0.0.0.0", "Address the terminal listener binds to."),
    LISTENER_PORT("listener.port", "8583", "Terminal listener port; carries both ISO8583 (0x60) and TMS/KMS ('T') frames."),
    LISTENER_INSTANCES("listener.instances", "0", "Listener verticle instances; 0 means one per event loop."),
    FRAME_MAX_ISO("frame.max.iso8583", "8192", "Largest ISO8583 frame body accepted, in bytes; a larger announced length closes the connection."),
    FRAME_MAX_TMS("frame.max.tms", "65535", "Largest TMS/KMS frame body accepted, in bytes (the 2-byte length caps it at 65535)."),
    IDLE_TIMEOUT("session.idle.timeout.seconds", "300", "A connection with no complete frame for this long is closed."),
    FRAME_TIMEOUT("session.frame.timeout.seconds", "30", "A frame started but not completed within this time closes the connection (slow senders)."),
    MAX_INFLIGHT("session.max.inflight", "8", "Requests one connection may have in processing at once; more closes it."),
    MAX_CONNECTIONS("connections.max", "20000", "Terminal connections accepted in total; more are refused at accept."),
    MAX_CONNECTIONS_PER_IP("connections.max.per.ip", "5000", "Terminal connections accepted per source IP (NAT gateways of GPRS carriers share addresses)."),
    DRAIN_TIMEOUT("shutdown.drain.seconds", "20", "On shutdown, how long sessions may finish requests in flight before they are closed."),
    ADMIN_HOST("admin.host", "127.0.0.1", "Address of the admin HTTP API (health, readiness, metrics, registration)."),
    ADMIN_PORT("admin.port", "8080", "Admin HTTP API port."),
    ADMIN_TOKEN("admin.token", "", "Bearer token required by /api/*; empty means generate one into data.dir/admin.token on first run."),
    DB_URL("db.url", "", "PostgreSQL URL (postgresql://user:pass@host:port/db); empty starts embedded PostgreSQL under data.dir/pg."),
    DB_POOL_SIZE("db.pool.size", "8", "PostgreSQL connections in the pool."),
    DB_EMBEDDED_PORT("db.embedded.port", "0", "Port of the embedded PostgreSQL; 0 picks a free one."),
    HSM_HOSTS("hsm.hosts", "", "Comma-separated host:port list of HSMs; empty starts the bundled software HSM in-process on loopback."),
    HSM_CONNECTIONS("hsm.connections.per.host", "2", "Persistent connections per HSM host."),
    HSM_TIMEOUT("hsm.timeout.ms", "2000", "Per-command HSM timeout in milliseconds."),
    HSM_HEADER_LENGTH("hsm.header.length", "4", "Length of the payShield message header used for correlation."),
    HSM_LMK_FILE("hsm.sim.lmk.file", "", "LMK file of the bundled software HSM; empty means data.dir/lmk.hex, generated on first run."),
    METRICS_ENABLED("metrics.enabled", "true", "Expose Prometheus metrics on /metrics.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** {@code listener.port} → {@code POSGATE_LISTENER_PORT}. */
    public String envName() {
        return "POSGATE_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public static List<Setting> all() {
        return Arrays.asList(values());
    }
}
