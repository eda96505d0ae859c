package dev.posgate.tms.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class FreshnessGuardTest {
    static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 22, 4, 0, 0);

    static StampedRandom t(int r, LocalDateTime at) {
        return new StampedRandom(new byte[] {0, 0, 0, (byte) r}, at);
    }

    @Test
    void skewIsInclusiveAndEitherDirection() {
        FreshnessGuard g = new FreshnessGuard(Duration.ofMinutes(10));
        assertEquals(FreshnessGuard.Verdict.FRESH, g.check("A", t(1, NOW.minusMinutes(10)), NOW));
        assertEquals(FreshnessGuard.Verdict.FRESH, g.check("A", t(2, NOW.plusMinutes(10)), NOW));
        assertEquals(FreshnessGuard.Verdict.CLOCK_SKEW, g.check("A", t(3, NOW.minusMinutes(10).minusSeconds(1)), NOW));
        assertEquals(FreshnessGuard.Verdict.CLOCK_SKEW, g.check("A", t(4, NOW.plusMinutes(11)), NOW));
    }

    @Test
    void aRandomIsAReplayForTheSameSerialOnlyAndIsForgottenAfterTwiceTheSkew() {
        FreshnessGuard g = new FreshnessGuard(Duration.ofMinutes(10));
        assertEquals(FreshnessGuard.Verdict.FRESH, g.check("A", t(1, NOW), NOW));
        assertEquals(FreshnessGuard.Verdict.REPLAYED, g.check("A", t(1, NOW.plusMinutes(5)), NOW.plusMinutes(5)));
        assertEquals(FreshnessGuard.Verdict.FRESH, g.check("B", t(1, NOW), NOW));
        assertEquals(2, g.remembered());
        assertEquals(FreshnessGuard.Verdict.FRESH, g.check("A", t(1, NOW.plusMinutes(21)), NOW.plusMinutes(21)));
        assertEquals(1, g.remembered());
    }

    @Test
    void tDataEncodesAsRandomThenBcdDateTime() {
        StampedRandom s = new StampedRandom(new byte[] {1, 2, 3, 4}, LocalDateTime.of(2026, 11, 22, 4, 5, 6));
        assertEquals("01020304261122040506", java.util.HexFormat.of().formatHex(s.encode()));
        assertEquals(s, StampedRandom.parse(0xDF10, s.encode()));
    }
}
