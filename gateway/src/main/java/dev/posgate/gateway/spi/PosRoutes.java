package dev.posgate.gateway.spi;

import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * The POS routing table: MTI plus the field 60 codes that tell messages of one MTI apart
 * (60.1 transaction type, 60.3 network management code). Lookup goes from the most specific
 * key to the least, so a route on (0200, 22, *) serves purchases whatever their 60.3.
 */
public final class PosRoutes {
    private static final String ANY = "*";

    /** A named handler; the name is the metric label. */
    public record Route(String name, PosHandler handler) {}

    private final Map<String, Route> routes = new HashMap<>();

    /** Registers {@code handler} for {@code mti}; {@code typeCode}/{@code networkCode} may be null for any. */
    public PosRoutes on(String mti, String typeCode, String networkCode, String name, PosHandler handler) {
        String key = key(mti, typeCode == null ? ANY : typeCode, networkCode == null ? ANY : networkCode);
        if (routes.putIfAbsent(key, new Route(name, handler)) != null) {
            throw new IllegalArgumentException("route already defined: " + key);
        }
        return this;
    }

    /** The route for {@code request}, or null when nothing handles it. */
    public Route find(PosMessage request) {
        String mti = request.mti();
        Field60 f60 = request.field60();
        String type = f60 == null ? ANY : f60.typeCode();
        String network = f60 == null ? ANY : f60.networkMgmtCode();
        Route r = routes.get(key(mti, type, network));
        if (r == null) r = routes.get(key(mti, ANY, network));
        if (r == null) r = routes.get(key(mti, type, ANY));
        if (r == null) r = routes.get(key(mti, ANY, ANY));
        return r;
    }

    private static String key(String mti, String type, String network) {
        return mti + '/' + type + '/' + network;
    }
}
