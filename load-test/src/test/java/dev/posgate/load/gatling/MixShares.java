package dev.posgate.load.gatling;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The kinds of {@link MixedTrafficSimulation} and their shares, from system properties
 * {@code -Dmix.<kind>=<weight>} (any non-negative numbers; each kind's share is its weight over
 * the sum). Defaults: purchase 40, IC purchase 20, balance 10, pre-auth then completion 15, sale
 * then refund 10, settlement with batch upload 5.
 */
record MixShares(Map<String, Double> weights) {
    static final String PURCHASE = "purchase";
    static final String IC = "ic";
    static final String BALANCE = "balance";
    static final String PREAUTH = "preauth";
    static final String REFUND = "refund";
    static final String SETTLEMENT = "settlement";
    private static final Map<String, Double> DEFAULTS = defaults();

    MixShares {
        weights = Map.copyOf(weights);
        double sum = 0;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) throw new IllegalArgumentException("unknown kind mix." + e.getKey());
            if (!(e.getValue() >= 0)) throw new IllegalArgumentException("mix." + e.getKey() + " must be ≥ 0: " + e.getValue());
            sum += e.getValue();
        }
        if (sum <= 0) throw new IllegalArgumentException("the mix.* shares add up to 0");
    }

    private static Map<String, Double> defaults() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put(PURCHASE, 40.0);
        d.put(IC, 20.0);
        d.put(BALANCE, 10.0);
        d.put(PREAUTH, 15.0);
        d.put(REFUND, 10.0);
        d.put(SETTLEMENT, 5.0);
        return d;
    }

    /** The defaults with each {@code mix.<kind>} of {@code p} in place of its default. */
    static MixShares from(Properties p) {
        Map<String, Double> w = new LinkedHashMap<>(DEFAULTS);
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("mix.")) continue;
            String kind = key.substring(4);
            if (!DEFAULTS.containsKey(kind)) throw new IllegalArgumentException("unknown kind " + key + "; kinds: " + DEFAULTS.keySet());
            w.put(kind, Double.parseDouble(p.getProperty(key)));
        }
        return new MixShares(w);
    }

    static MixShares fromSystemProperties() {
        return from(System.getProperties());
    }

    /** The kinds in a fixed order (the defaults'). */
    static Iterable<String> kinds() {
        return DEFAULTS.keySet();
    }

    double share(String kind) {
        double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        return weights.getOrDefault(kind, 0.0) / sum;
    }

    /** The kind a uniform {@code r} in [0, 1) falls on. */
    String pick(double r) {
        double at = 0;
        String last = null;
        for (String kind : DEFAULTS.keySet()) {
            double s = share(kind);
            if (s == 0) continue;
            at += s;
            last = kind;
            if (r < at) return kind;
        }
        return last;
    }
}
