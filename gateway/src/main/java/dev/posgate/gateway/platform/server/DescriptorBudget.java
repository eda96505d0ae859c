package dev.posgate.gateway.platform.server;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.posgate.gateway.platform.config.GatewayConfig;
import dev.posgate.gateway.platform.config.Setting;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits {@code connections.max} to the process's file-descriptor limit. Every terminal connection
 * is a descriptor, next to the HSM, database and upstream links, the admin port and the JVM's own
 * (jars, logs, selectors). With caps above the limit, accept fails with "too many open files" once
 * the limit is reached, and so do the reconnects of the HSM and database pools: the gateway stops
 * serving everybody instead of refusing the surplus terminals. Java cannot raise the limit itself
 * (docs/operations.md says how); so the cap is lowered to fit, with a warning naming both numbers.
 */
public final class DescriptorBudget {
    private static final Logger log = LoggerFactory.getLogger(DescriptorBudget.class);
    /** The JVM's own descriptors (class path, logs, epoll and pipes of the event loops) and a margin. */
    static final int JVM_RESERVE = 256;
    /** Admin connections (operators, Prometheus, probes) budgeted for. */
    static final int ADMIN_RESERVE = 64;

    private DescriptorBudget() {}

    /** {@code connections.max}, lowered to fit the process's descriptor limit when it is known. */
    public static int connectionsMax(GatewayConfig config) {
        int configured = config.integer(Setting.MAX_CONNECTIONS);
        OptionalLong limit = processLimit();
        return limit.isPresent() ? fit(configured, limit.getAsLong(), reserved(config)) : configured;
    }

    /** Descriptors the gateway needs besides terminal connections. */
    static int reserved(GatewayConfig config) {
        String hosts = config.string(Setting.HSM_HOSTS).trim();
        int hsm = config.integer(Setting.HSM_CONNECTIONS) * (hosts.isEmpty() ? 2 : hosts.split(",").length); // bundled: both ends here
        int upstream = config.string(Setting.UPSTREAM_HOST).isBlank() ? 0 : config.integer(Setting.UPSTREAM_CONNECTIONS);
        return JVM_RESERVE + ADMIN_RESERVE + hsm + config.integer(Setting.DB_POOL_SIZE) + upstream;
    }

    /**
     * The terminal connections that fit: {@code configured}, or {@code limit - reserved} when that is
     * smaller. Fails when not even a handful fit.
     */
    static int fit(int configured, long limit, int reserved) {
        long room = limit - reserved;
        if (configured <= room) return configured;
        if (room < 16) {
            throw new IllegalStateException("the process may open " + limit + " files, and the gateway needs " + reserved
                    + " besides terminal connections: raise the limit (ulimit -n, LimitNOFILE, compose ulimits; docs/operations.md)");
        }
        int lowered = (int) room;
        log.warn("connections.max {} does not fit the process's limit of {} open files ({} needed besides terminals): "
                + "accepting at most {} terminal connections; raise the limit (ulimit -n, LimitNOFILE, compose ulimits; "
                + "docs/operations.md) or lower connections.max", configured, limit, reserved, lowered);
        return lowered;
    }

    static OptionalLong processLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return OptionalLong.of(unix.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }
}
