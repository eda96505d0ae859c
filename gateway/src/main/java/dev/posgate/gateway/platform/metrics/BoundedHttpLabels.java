package dev.posgate.gateway.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps the {@code method} label of Vert.x's HTTP meters to the standard methods: any other value
 * (a client may send {@code FOO /x} before authenticating) becomes {@code OTHER}. Without it every
 * new method created new series: 20,000 requests with random methods cost 60 MB of heap and a
 * 15 MB {@code /metrics}. Path and route labels are not enabled at all (GatewayApp).
 */
public final class BoundedHttpLabels implements MeterFilter {
    static final String METHOD = "method";
    static final String OTHER = "OTHER";
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("vertx.http")) return id;
        String method = id.getTag(METHOD);
        if (method == null || METHODS.contains(method)) return id;
        List<Tag> tags = new ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) tags.add(METHOD.equals(t.getKey()) ? Tag.of(METHOD, OTHER) : t);
        return id.replaceTags(tags);
    }
}
