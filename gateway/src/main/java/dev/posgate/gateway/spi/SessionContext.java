package dev.posgate.gateway.spi;

import java.util.HashMap;
import java.util.Map;

/**
 * What handlers may know and keep about one terminal connection. Confined to the
 * connection's event loop, so plain fields suffice. Per-flow state (TMS handshake, KMS
 * randoms) lives in {@link #attributes()} keyed by the flow's own key object.
 */
public final class SessionContext {
    private final long id;
    private final String remoteAddress;
    private final Map<Object, Object> attributes = new HashMap<>();

    public SessionContext(long id, String remoteAddress) {
        this.id = id;
        this.remoteAddress = remoteAddress;
    }

    public long id() {
        return id;
    }

    /** The source IP (no port), for logs and per-IP limits. */
    public String remoteAddress() {
        return remoteAddress;
    }

    public Map<Object, Object> attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return "session#" + id + "@" + remoteAddress;
    }
}
