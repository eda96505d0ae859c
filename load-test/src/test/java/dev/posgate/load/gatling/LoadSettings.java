package dev.posgate.load.gatling;

import java.time.Duration;

/**
 * Knobs of a simulation run, from system properties ({@code -Dusers=...}), with defaults that
 * keep a run short (well under a minute) on a shared laptop-class machine.
 */
final class LoadSettings {
    private LoadSettings() {
    }

    static int users(int fallback) {
        return Integer.getInteger("users", fallback);
    }

    static Duration seconds(String name, int fallback) {
        return Duration.ofSeconds(Integer.getInteger(name, fallback));
    }

    /** p99 response time limit for the assertions, in milliseconds. */
    static int p99Millis(int fallback) {
        return Integer.getInteger("p99Millis", fallback);
    }

    /** Largest share of failed requests, in percent, for the assertions. */
    static double maxErrorPercent() {
        return Double.parseDouble(System.getProperty("maxErrorPercent", "1.0"));
    }

    /**
     * The gateway's {@code hsm.connections.per.host} ({@code -DhsmConnections}) for the worlds that
     * provision their own gateway: 32 commands in flight per connection, and a burst of terminals
     * beyond that gets 96 (docs/benchmarks.md, KMS and TMS).
     */
    static int hsmConnections(int fallback) {
        return Integer.getInteger("hsmConnections", fallback);
    }

    /**
     * Share of SM4 terminals in the fleet ({@code -Dsm4.share}, 0.0 to 1.0, default 0): terminal
     * {@code i} (1-based) has the SM4 profile when {@link #isSm4} says so, spread evenly over the
     * fleet (0.5: every second terminal).
     */
    static double sm4Share() {
        double share = Double.parseDouble(System.getProperty("sm4.share", "0"));
        if (share < 0 || share > 1) throw new IllegalArgumentException("sm4.share must be within 0.0 and 1.0: " + share);
        return share;
    }

    /** Whether terminal {@code index} (1-based) of the fleet is an SM4 terminal under {@code share}. */
    static boolean isSm4(int index, double share) {
        return Math.floor(index * share + 1e-9) > Math.floor((index - 1) * share + 1e-9);
    }

    /** {@link #isSm4(int, double)} with {@link #sm4Share()}. */
    static boolean isSm4(int index) {
        return isSm4(index, sm4Share());
    }
}
