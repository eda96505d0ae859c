package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The GCRA token bucket: a burst at once, then one per interval; and per-IP state forgotten once refilled. */
class RateLimitTest {
    @Test
    void burstThenOnePerInterval() {
        RateLimit limit = RateLimit.of(10, 3); // 100 ms interval
        long now = -5_000_000_000L; // nanoTime may be negative
        long tat = RateLimit.FRESH;
        for (int i = 0; i < 3; i++) {
            long next = limit.admit(tat, now);
            assertNotEquals(tat, next, "arrival " + i + " of the burst");
            tat = next;
        }
        assertEquals(tat, limit.admit(tat, now), "4th at once refused");
        assertEquals(tat, limit.admit(tat, now + 99_000_000L), "no token back within the interval");
        assertNotEquals(tat, limit.admit(tat, now + 100_000_000L), "one token back after it");
        assertEquals(now + 100_000_000L, limit.conformsAt(tat), "when a held arrival is admitted");
        assertNull(RateLimit.of(0, 10), "0 means no limit");
    }

    @Test
    void ipStateIsForgottenWhenTheBucketIsFull() {
        IpConnectionRate rate = new IpConnectionRate(RateLimit.of(1, 2));
        assertEquals(true, rate.admit("10.0.0.1", 0));
        assertEquals(true, rate.admit("10.0.0.1", 0));
        assertEquals(false, rate.admit("10.0.0.1", 0));
        assertEquals(true, rate.admit("10.0.0.2", 0), "per address");
        rate.sweep(1_000_000_000L);
        assertEquals(1, rate.tracked(), "10.0.0.2 refilled and forgotten, 10.0.0.1 not yet");
        rate.sweep(2_000_000_000L);
        assertEquals(0, rate.tracked());
    }
}
