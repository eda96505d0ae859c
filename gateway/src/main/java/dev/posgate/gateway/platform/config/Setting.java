package dev.posgate.gateway.platform.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every configuration key of the gateway, with its type, default and meaning. Each value is
 * checked against its {@link SettingType} at start-up.
 *
 * <p>One list, so that the file loader, the environment overrides and docs/configuration.md
 * cannot drift apart (a test checks the doc names every key). A key {@code listener.port}
 * is overridden by the environment variable {@code POSGATE_LISTENER_PORT}.
 */
public enum Setting {
    DATA_DIR("data.dir", SettingType.PATH, "var", "Directory for embedded PostgreSQL, the development LMK and the admin token."),
    LISTENER_HOST("listener.host", SettingType.STRING, "0.0.0.0", "Address the terminal listener binds to."),
    LISTENER_PORT("listener.port", SettingType.PORT, "8583", "Terminal listener port; carries both ISO8583 (0x60) and TMS/KMS ('T') frames."),
    LISTENER_INSTANCES("listener.instances", SettingType.INT, "0", "Listener verticle instances; 0 means one per CPU core."),
    LISTENER_TLS_PORT("listener.tls.port", SettingType.PORT, "0", "TLS terminal listener port (same frames and sessions as listener.port, TLS 1.2+); 0 means no TLS listener."),
    LISTENER_TLS_CERT("listener.tls.cert", SettingType.PATH, "", "PEM certificate chain of the TLS listener; empty (with listener.tls.key empty) means a development certificate under data.dir/tls, signed by the development terminal TLS CA."),
    LISTENER_TLS_KEY("listener.tls.key", SettingType.PATH, "", "PEM private key (PKCS#8 or PKCS#1) of listener.tls.cert."),
    LISTENER_TLS_CLIENT_AUTH("listener.tls.client.auth", SettingType.ENUM, "none", "Terminal client certificates on the TLS listener: none, request (verified if sent) or required.", "none", "request", "required"),
    LISTENER_TLS_TRUST("listener.tls.trust", SettingType.PATH, "", "PEM file of the CAs that issue terminal client certificates; empty means the development terminal TLS CA (data.dir/tls/ca.crt)."),
    LISTENER_APP_HEADER("listener.app.header", SettingType.BOOLEAN, "true", "POS messages carry the 6-byte application header after the TPDU; false for centres that send none (TPDU then MTI), on every terminal listener."),
    FRAME_MAX_ISO("frame.max.iso8583", SettingType.INT, "8192", "Largest ISO8583 frame body accepted, in bytes; a larger announced length closes the connection."),
    FRAME_MAX_TMS("frame.max.tms", SettingType.INT, "65535", "Largest TMS/KMS frame body accepted, in bytes (the 2-byte length caps it at 65535)."),
    TMS_SEALED_MAX("tms.sealed.request.max", SettingType.INT, "16384", "Largest sealed request body (D1/D2/D3: IV, ciphertext and MAC) accepted, in bytes (256..30000); a larger one is answered 30 before it reaches the HSM, whose reply to opening it must fit the HSM pool's 32 KiB frame cap."),
    ADMIN_HEADER_TIMEOUT("admin.header.timeout.seconds", SettingType.DURATION, "10", "A connection to the admin port whose request line and headers are not complete within this time (from connecting, or from the previous response) is closed (slow-header clients)."),
    ADMIN_IDLE_TIMEOUT("admin.idle.timeout.seconds", SettingType.DURATION, "60", "An admin connection with no bytes either way for this long is closed."),
    AUDIT_REFUSAL_WINDOW("audit.refusal.window.seconds", SettingType.DURATION, "60", "Refusal audits are aggregated per kind (actor, action, subject, result, reason) and window of this length: the first is written at once, the rest counted into one summary row when the window closes; 0 writes every refusal."),
    AUDIT_REFUSAL_KINDS("audit.refusal.kinds.max", SettingType.INT, "10000", "Refusal windows open at once; beyond that refusals are counted per action and result only (bounded memory against strangers)."),
    IDLE_TIMEOUT("session.idle.timeout.seconds", SettingType.DURATION, "300", "A connection with no complete frame for this long is closed."),
    FRAME_TIMEOUT("session.frame.timeout.seconds", SettingType.DURATION, "30", "A frame started but not completed within this time closes the connection (slow senders)."),
    MAX_INFLIGHT("session.max.inflight", SettingType.INT, "8", "Requests one connection may have in processing at once, those held by session.request.rate included; more closes it."),
    MAX_CONNECTIONS("connections.max", SettingType.INT, "20000", "Terminal connections accepted in total; more are refused at accept."),
    MAX_CONNECTIONS_PER_IP("connections.max.per.ip", SettingType.INT, "5000", "Terminal connections accepted per source IP (NAT gateways of GPRS carriers share addresses)."),
    FIRST_FRAME_TIMEOUT("session.first.frame.timeout.seconds", SettingType.DURATION, "60", "A new connection that sends no request frame within this time (keep-alives do not count) is closed; 0 means no such timeout. Keep it above the terminals' echo interval."),
    CONNECTION_RATE_PER_IP("connections.rate.per.ip", SettingType.INT, "0", "New connections per second accepted from one source IP on average (token bucket); more are refused at accept. 0 means no rate limit (carrier NAT gateways share addresses: size it per deployment)."),
    CONNECTION_BURST_PER_IP("connections.burst.per.ip", SettingType.INT, "200", "New connections one source IP may open at once before connections.rate.per.ip applies."),
    REQUEST_RATE("session.request.rate", SettingType.INT, "50", "Requests per second one connection (one terminal) may send on average (token bucket); requests over it are held, and the connection's reads paused, until the rate admits them. 0 means no limit (for load generators, which drive one connection far harder than a terminal)."),
    REQUEST_BURST("session.request.burst", SettingType.INT, "200", "Requests one connection may send at once before session.request.rate applies (a package download's frames come back to back)."),
    DRAIN_TIMEOUT("shutdown.drain.seconds", SettingType.DURATION, "20", "On shutdown, how long sessions may finish requests in flight before they are closed."),
    ADMIN_HOST("admin.host", SettingType.STRING, "127.0.0.1", "Address of the admin HTTP API (health, readiness, metrics, registration)."),
    ADMIN_PORT("admin.port", SettingType.PORT, "8080", "Admin HTTP API port."),
    ADMIN_TOKEN("admin.token", SettingType.STRING, "", "Bearer token required by /api/*; empty means generate one into data.dir/admin.token on first run."),
    DB_URL("db.url", SettingType.STRING, "", "PostgreSQL URL (postgresql://user:pass@host:port/db); empty starts embedded PostgreSQL under data.dir/pg."),
    DB_POOL_SIZE("db.pool.size", SettingType.INT, "8", "PostgreSQL connections in the pool."),
    DB_POOL_WAIT_MS("db.pool.wait.ms", SettingType.DURATION, "5000", "Longest a query waits for a free pooled connection when all are busy; then it fails and the request is answered 96."),
    DB_POOL_QUEUE_MAX("db.pool.queue.max", SettingType.INT, "1024", "Queries that may wait for a pooled connection at once; beyond that a query fails at once (96): nothing queues without bound while the database is slow or hung."),
    DB_EMBEDDED_PORT("db.embedded.port", SettingType.PORT, "0", "Port of the embedded PostgreSQL; 0 picks a free one."),
    DB_MIGRATION_URL("db.migration.url", SettingType.STRING, "", "PostgreSQL URL of the schema owner that runs the migrations; empty means db.url. Set it so that db.url can connect as db.app.role, which cannot alter the audit log."),
    DB_APP_ROLE("db.app.role", SettingType.STRING, "posgate_app", "Role granted DML on the gateway's tables but only INSERT/SELECT on audit_log; created by the migrations if missing; the embedded PostgreSQL connects as it."),
    HSM_HOSTS("hsm.hosts", SettingType.HOST_LIST, "", "Comma-separated host:port list of HSMs; empty starts the bundled software HSM in-process on loopback."),
    HSM_CONNECTIONS("hsm.connections.per.host", SettingType.INT, "4", "Persistent connections per HSM host, in total: connection i lives on event loop i mod (2 x cores), and a command from a loop with a connection is written and answered there without a thread hand-off, so a multiple of the event-loop count gives every loop its own (each pipelines up to 32 commands; bursts of fleet sign-ons or TMK downloads need several)."),
    HSM_TIMEOUT("hsm.timeout.ms", SettingType.DURATION, "2000", "Per-command HSM timeout in milliseconds."),
    HSM_KEYGEN_TIMEOUT("hsm.keygen.timeout.ms", SettingType.DURATION, "60000", "Timeout of key-pair generation in the HSM, RSA (EI) and SM2 (K1), in milliseconds, instead of hsm.timeout.ms: a key pair takes seconds, more on a loaded machine, and a first start generates the KMS and key-loader identities."),
    HSM_HEADER_LENGTH("hsm.header.length", SettingType.INT, "4", "Length of the payShield message header used for correlation."),
    HSM_LMK_FILE("hsm.sim.lmk.file", SettingType.PATH, "", "LMK file of the bundled software HSM; empty means data.dir/lmk.hex, generated on first run."),
    HSM_SIM_CLEAR_COMPONENTS("hsm.sim.clear.components", SettingType.BOOLEAN, "false", "Let the bundled software HSM form keys from clear components (ZW: key ceremonies of posp.tmk.ceremony.enabled and tms.dmk.ceremony.enabled, development and load tests). Off: whoever reaches the HSM could form a key they know and export others under it."),
    HSM_SIM_AUTHORISED("hsm.sim.authorised.commands", SettingType.STRING, "", "Commands the bundled software HSM runs in the authorised state (any of A6, A8, GI, SV, ST, WO: key import and export under a caller's key), for hsm.sim.authorised.minutes after start; empty means none (answered 17). Posgate's online flows need none; A6 serves the DMK import of the TMS admin API."),
    HSM_SIM_AUTHORISED_MINUTES("hsm.sim.authorised.minutes", SettingType.DURATION, "15", "How long the authorised state of hsm.sim.authorised.commands lasts after start (1..720)."),
    POSP_TIMEZONE("posp.timezone", SettingType.STRING, "Asia/Shanghai", "Time zone of the POSP business day: a terminal that has not signed on since local midnight gets 77."),
    POSP_ACQUIRER_ID("posp.acquirer.id", SettingType.DIGITS, "48020000", "Acquiring institution id sent in field 32 (n..11)."),
    POSP_TMK_INDEX("posp.tmk.key.index", SettingType.INT, "1", "PIN pad key index of the TMK that wraps working keys at sign-on."),
    POSP_TMK_CEREMONY("posp.tmk.ceremony.enabled", SettingType.BOOLEAN, "false", "Allow forming a terminal's TMK from clear components on the admin API (development and load tests; the HSM must allow clear components too)."),
    POSP_PSAM_ROOT_OWNER("posp.psam.root.owner", SettingType.STRING, "psam", "owner_id of the SYSTEM key_record PSAMROOT (key_type) used for PSAM issuance and sign-on."),
    UPSTREAM_HOST("upstream.host", SettingType.HOST_PORT, "", "host:port of the upstream ISO8583 host; empty means no upstream (financial messages get 91)."),
    UPSTREAM_CONNECTIONS("upstream.connections", SettingType.INT, "4", "Persistent connections to the upstream host, in total: connection i lives on event loop i mod (2 x cores), and a request from a loop with a connection is written and answered there without a thread hand-off."),
    UPSTREAM_TIMEOUT("upstream.timeout.ms", SettingType.DURATION, "5000", "Per-request upstream timeout; on expiry the terminal gets 68 and a reversal is queued."),
    UPSTREAM_ZONE("upstream.zone", SettingType.STRING, "upstream", "owner_id of the ZONE key_records ZPK and ZAK shared with the upstream host."),
    UPSTREAM_REVERSAL_RETRY("upstream.reversal.retry.seconds", SettingType.DURATION, "5", "Delay between delivery attempts of a queued reversal (also the queue scan period)."),
    UPSTREAM_TRACK_PROTECTION("upstream.track.protection", SettingType.ENUM, "zek", "How encrypted tracks (53.3 = 1, decrypted from the terminal's TDK in the HSM) go to the host: zek = the same 8-byte block re-encrypted under the zone ZEK (53.3 stays 1), clear = in clear with 53.3 = 0 (a host on a private link only).", "zek", "clear"),
    TMS_CLOCK_SKEW("tms.clock.skew.seconds", SettingType.DURATION, "600", "H1: largest difference between the terminal's T_DATA date-time and the TMS clock; a T_DATA random is also refused as a replay within this window."),
    TMS_KEY_MESSAGE("tms.key.message", SettingType.ENUM, "NONE", "What the H2 key message carries: NONE, or TMK (a fresh TMK under the DWK, stored PENDING; nothing in the TMS protocol confirms it, so TMK distribution defaults to the KMS flows).", "NONE", "TMK"),
    TMS_KEY_INDEX("tms.key.index", SettingType.INT, "1", "PIN pad key index of the TMK sent in the H2 key message (DF06)."),
    TMS_DMK_CEREMONY("tms.dmk.ceremony.enabled", SettingType.BOOLEAN, "false", "Allow provisioning a DMK from clear components on the admin API (the HSM must allow clear components too)."),
    TMS_FRAME_MAX("tms.download.frame.max", SettingType.INT, "16384", "Largest DF39 frame served by D2 in bytes (256..30000: a sealed frame must fit one HSM reply); a terminal asking for more gets this much."),
    TMS_REPOSITORIES("tms.repositories", SettingType.STRING, "*=postgresql", "Package repository per vendor id, e.g. ACME=filesystem,*=postgresql; a vendor matching no entry (and no *) is unknown (B3)."),
    TMS_FS_ROOT("tms.fs.root", SettingType.PATH, "", "Root of the filesystem package repository (<root>/<vendor>/<model or _all>/<name>/<version>/, see docs/tms.md); empty means data.dir/packages."),
    KMS_CA_DIR("kms.ca.dir", SettingType.PATH, "", "Directory of the development CA (root.p12/.crt, acquirer-<id>.p12/.crt, created on first run); empty means data.dir/ca."),
    KMS_ACQUIRER("kms.acquirer", SettingType.STRING, "ACQ001", "Acquirer id whose root signs the gateway's remote key-loader certificate (L1); terminals of other acquirers refuse it."),
    LOADER_PORT("loader.port", SettingType.PORT, "0", "Key-loading listener port (the loading room's network): the only listener that serves the key loader L1-L3, and nothing else; 0 means off."),
    LOADER_HOST("loader.host", SettingType.STRING, "127.0.0.1", "Address the key-loading listener binds to (the loading room's interface)."),
    LOADER_AUTHORISATION_TTL("loader.authorisation.ttl.seconds", SettingType.DURATION, "1800", "Validity of a key-loading authorisation from its opening when the opener asks for none."),
    LOADER_AUTHORISATION_TTL_MAX("loader.authorisation.ttl.max.seconds", SettingType.DURATION, "14400", "Longest validity an opener may ask for; a longer one is refused."),
    LOADER_DEVICE_CERTIFICATE("loader.device.certificate", SettingType.ENUM, "optional", "Terminal device certificate (DF2A/DF2B) in L2: optional (verified when sent) or required (63 without one); a present but invalid one is always 63.", "optional", "required"),
    LOADER_MANUFACTURER_TRUST("loader.manufacturer.trust", SettingType.PATH, "", "PEM file of the manufacturer CAs whose device certificates the key loader trusts; empty means the development manufacturer CA (kms.ca.dir/manufacturer.crt, created on first run)."),
    KMS_RSA_BITS("kms.rsa.bits", SettingType.INT, "2048", "Modulus length of the KMS and key-loader RSA key pairs generated in the HSM (EI)."),
    KEY_RATE_WINDOW("key.rate.window.seconds", SettingType.DURATION, "60", "The window kms.k2.rate, tms.h1.rate and posp.sign_on.rate count in: N per window per serial or terminal, N of them at once, then one more every window/N."),
    KMS_K2_RATE("kms.k2.rate", SettingType.INT, "6", "K2 (TMK download start) per serial within key.rate.window.seconds; more are answered 12, counted in posgate_rate_limited_total{flow=\"kms_k2\"} and not audited. 0 means no limit."),
    TMS_H1_RATE("tms.h1.rate", SettingType.INT, "12", "H1 (TMS handshake) per serial within key.rate.window.seconds; more are answered 12, counted in posgate_rate_limited_total{flow=\"tms_h1\"} and not audited. 0 means no limit."),
    LOADER_L2_RATE("loader.l2.rate", SettingType.INT, "6", "L2 (key loader exchange) per serial within key.rate.window.seconds, checked before any database or HSM work; more are answered 12, counted in posgate_rate_limited_total{flow=\"loader_l2\"} and not audited. 0 means no limit."),
    POSP_SIGN_ON_RATE("posp.sign_on.rate", SettingType.INT, "6", "Sign-ons (0800) per terminal (TID) within key.rate.window.seconds; more are answered 12, counted in posgate_rate_limited_total{flow=\"sign_on\"} and not audited. 0 means no limit."),
    KEY_RATE_TRACKED_MAX("key.rate.tracked.max", SettingType.INT, "100000", "Most serials or terminals each per-key rate tracks at once (the least recently seen is forgotten first)."),
    POSP_SIGN_ON_GRACE("posp.sign_on.grace.seconds", SettingType.DURATION, "600", "After a sign-on, how long the working keys the terminal last used stay valid for MAC verification and PIN translation, unless a request verifies under the new keys first (a stranger's 0800 cannot cut a terminal off). 0 means none."),
    POSP_SIGN_ON_CONCURRENT("posp.sign_on.concurrent.max", SettingType.INT, "0", "Sign-ons doing their HSM and database work at once on this node; more wait in a FIFO (posp.sign_on.queue.max), so that a fleet signing on at once costs latency instead of 96s. 0 means db.pool.size."),
    POSP_SIGN_ON_QUEUE_MAX("posp.sign_on.queue.max", SettingType.INT, "10000", "Sign-ons that may wait for a place at once; more are answered 91 at once, with no HSM or database work, counted in posgate_posp_sign_on_refused_total{reason=\"queue_full\"}. 0 means none waits."),
    POSP_SIGN_ON_QUEUE_WAIT("posp.sign_on.queue.wait.ms", SettingType.DURATION, "30000", "Longest a sign-on waits for a place; then it is answered 91 with no work done, counted in posgate_posp_sign_on_refused_total{reason=\"wait_timeout\"}. Keep it well below the terminals' response timeout (typically 60 s)."),
    METRICS_ENABLED("metrics.enabled", SettingType.BOOLEAN, "true", "Expose Prometheus metrics on /metrics."),
    DB_CONNECT_RETRIES("db.connect.retries", SettingType.INT, "5", "At start-up, how many more times the migrations try to connect to PostgreSQL when a connection cannot be made (waiting 1 s, 2 s, 4 s... between tries): a database still starting, or a dropped attempt, delays the start instead of failing it; 0 fails at the first."),
    POSP_PREAUTH_COMPLETION_TOLERANCE("posp.preauth.completion.tolerance.percent", SettingType.INT, "15", "A pre-auth completion may exceed the authorised amount by at most this many percent; a larger one is refused 61 (exceeds amount limit) before the host. 0 means not above the authorised amount."),
    HSM_PROFILE("hsm.profile", SettingType.ENUM, "posgate", "Host commands the HSM speaks: posgate (posgate's layouts and extensions: the bundled software HSM, or an HSM with custom firmware) or payshield (standard payShield host commands in the public layouts only); at start-up the gateway refuses a feature the profile cannot serve, naming it (docs/hsm-protocol.md, HSM profiles). Also the profile of the bundled software HSM.", "posgate", "payshield"),
    FEATURES_DISABLED("features.disabled", SettingType.STRING, "", "Comma-separated gateway features not served (any of tms, kms, psam, sm4; docs/hsm-protocol.md, HSM profiles): tms and kms are not installed (their frames are answered as unknown), psam and sm4 terminals are not signed on. Needed with hsm.profile=payshield, which cannot serve them."),
    POSP_SIGNATURE_MAX_BYTES("posp.signature.max.bytes", SettingType.INT, "16384", "Largest electronic signature image (JBIG, all its parts together) a terminal may upload (0820, 60.3 800); a larger one is refused 12 and its partial upload dropped. At most 1048576 (the database's own bound).");

    private final String key;
    private final SettingType type;
    private final String defaultValue;
    private final String description;
    /** The words an {@link SettingType#ENUM} setting accepts; empty for the other types. */
    private final List<String> allowed;

    Setting(String key, SettingType type, String defaultValue, String description, String... allowed) {
        if ((type == SettingType.ENUM) != (allowed.length > 0)) {
            throw new IllegalArgumentException(key + ": an ENUM setting, and only one, lists its allowed values");
        }
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.allowed = List.of(allowed);
    }

    public String key() {
        return key;
    }

    public SettingType type() {
        return type;
    }

    /** The words an {@link SettingType#ENUM} setting accepts (any case); empty for the other types. */
    public List<String> allowed() {
        return allowed;
    }

    /** Throws {@link IllegalArgumentException}, naming this key, when {@code value} is not of this setting's type. */
    public void check(String value) {
        type.check(this, value);
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
