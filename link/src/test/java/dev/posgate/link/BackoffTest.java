package dev.posgate.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheMaxAndJitterOnlyShortens() {
        Backoff none = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, () -> 0.0);
        assertEquals(100, none.delay(0).toMillis());
        assertEquals(200, none.delay(1).toMillis());
        assertEquals(800, none.delay(3).toMillis());
        assertEquals(1000, none.delay(4).toMillis());
        assertEquals(1000, none.delay(60).toMillis(), "no overflow");
        Backoff most = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, () -> 0.999);
        assertEquals(51, most.delay(0).toMillis());
        assertEquals(501, most.delay(10).toMillis());
    }

    @Test
    void theBreakerTripsOnConsecutiveFailuresOnly() {
        CircuitBreaker b = new CircuitBreaker(3);
        assertFalse(b.failure());
        assertFalse(b.failure());
        b.success();
        assertFalse(b.failure());
        assertFalse(b.failure());
        assertTrue(b.failure());
        assertFalse(new CircuitBreaker(0).failure(), "0 disables it");
    }
}
