package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-serial / per-terminal rate on a clock the test moves: burst, refill, isolation, bounded keys. */
class PerKeyRateTest {
    private final AtomicLong now = new AtomicLong(-7_000_000_000L); // nanoTime may be negative
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double refused() {
        return registry.get("posgate_rate_limited_total").tag("flow", "k2").counter().count();
    }

    @Test
    void sixAMinuteAtOnceThenOneEveryTenSecondsPerKey() {
        PerKeyRate rate = new PerKeyRate("k2", 6, Duration.ofMinutes(1), 100, now::get, registry);
        for (int i = 0; i < 6; i++) assertTrue(rate.admit("SN-1"), "request " + (i + 1));
        assertFalse(rate.admit("SN-1"), "the 7th within the minute");
        assertTrue(rate.admit("SN-2"), "another serial is not held back");
        now.addAndGet(9_999_000_000L);
        assertFalse(rate.admit("SN-1"), "no token back before 10 s");
        now.addAndGet(1_000_000L);
        assertTrue(rate.admit("SN-1"), "one back after 10 s");
        assertFalse(rate.admit("SN-1"));
        assertEquals(3, refused());
    }

    @Test
    void keysAreBoundedAndZeroMeansNoLimit() {
        PerKeyRate rate = new PerKeyRate("k2", 1, Duration.ofMinutes(1), 3, now::get, registry);
        for (int i = 0; i < 1_000; i++) rate.admit("SN-" + i);
        assertEquals(3, rate.tracked(), "at most maxKeys tracked");
        assertFalse(rate.admit("SN-999"), "a recent key is still held");
        PerKeyRate none = new PerKeyRate("none", 0, Duration.ofMinutes(1), 3, now::get, registry);
        for (int i = 0; i < 100; i++) assertTrue(none.admit("SN-1"));
        assertEquals(0, none.tracked());
    }
}
