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
}
