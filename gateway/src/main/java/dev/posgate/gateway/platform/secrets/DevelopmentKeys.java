package dev.posgate.gateway.platform.secrets;

import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.hsm.pool.HsmPoolConfig;
import io.vertx.pgclient.PgConnectOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The embedded default generates its keys on first run: the LMK of the bundled software HSM, the
 * development CA (it signs the KMS certificates and operator cards) and the admin token. They are
 * fine for a laptop and wrong for anything reachable from elsewhere, so {@code serve} refuses to
 * start when they are in use and the admin API, the database or an HSM is not on loopback, unless
 * told {@code --dev} (docs/security.md, "Issue 13 probe: the embedded default").
 */
public final class DevelopmentKeys {
    private DevelopmentKeys() {}

    /** The development material this configuration uses (empty: none). */
    public static List<String> inUse(GatewayConfig config) {
        List<String> dev = new ArrayList<>();
        if (config.string(Setting.HSM_HOSTS).isBlank()) dev.add("the development LMK of the bundled software HSM (hsm.hosts empty)");
        if (config.string(Setting.KMS_CA_DIR).isBlank()) dev.add("the development CA generated into data.dir/ca (kms.ca.dir empty)");
        if (config.string(Setting.ADMIN_TOKEN).isBlank()) dev.add("the admin token generated into data.dir (admin.token empty)");
        return dev;
    }

    /** The addresses this configuration exposes beyond loopback (admin API, database, HSMs). */
    public static List<String> offLoopback(GatewayConfig config) {
        List<String> off = new ArrayList<>();
        String admin = config.string(Setting.ADMIN_HOST);
        if (!loopback(admin)) off.add(Setting.ADMIN_HOST.key() + "=" + admin);
        for (Setting db : new Setting[] {Setting.DB_URL, Setting.DB_MIGRATION_URL}) {
            String url = config.string(db);
            if (url.isBlank()) continue;
            String host = PgConnectOptions.fromUri(url).getHost();
            if (!loopback(host)) off.add(db.key() + " host " + host);
        }
        Arrays.stream(config.string(Setting.HSM_HOSTS).split(",")).map(String::trim).filter(h -> !h.isEmpty())
                .map(HsmPoolConfig.Host::parse).filter(h -> !loopback(h.host()))
                .forEach(h -> off.add(Setting.HSM_HOSTS.key() + " " + h.host() + ":" + h.port()));
        return off;
    }

    /** Why {@code serve} must not start without {@code --dev}, or null when it may. */
    public static String refusal(GatewayConfig config) {
        List<String> dev = inUse(config);
        List<String> off = offLoopback(config);
        if (dev.isEmpty() || off.isEmpty()) return null;
        return "refusing to start with development keys reachable beyond loopback: " + String.join("; ", dev)
                + ", while " + String.join(", ", off) + ". Configure production keys (hsm.hosts, kms.ca.dir, admin.token)"
                + " or bind to loopback; --dev starts anyway (development and labs only).";
    }

    /** Loopback by name or address; a name that does not resolve is not trusted to be. */
    static boolean loopback(String host) {
        if (host == null || host.isBlank()) return false;
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) return true;
        try {
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (!a.isLoopbackAddress()) return false;
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
