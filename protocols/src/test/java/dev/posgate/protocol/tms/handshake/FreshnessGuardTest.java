package dev.posgate.protocol.tms.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(g.inWindow(t(1, NOW.minusMinutes(10)), NOW));
        assertTrue(g.inWindow(t(2, NOW.plusMinutes(10)), NOW));
        assertFalse(g.inWindow(t(3, NOW.minusMinutes(10).minusSeconds(1)), NOW));
        assertFalse(g.inWindow(t(4, NOW.plusMinutes(11)), NOW));
    }

    @Test
    void aRandomMustBeRememberedForTwiceTheSkew() {
        FreshnessGuard g = new FreshnessGuard(Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(20), g.replayWindow());
        // a T_DATA stamped at the far edge of the window is still accepted 20 minutes after one
        // stamped at the near edge was seen: the random must still be remembered then
        assertTrue(g.inWindow(t(1, NOW.plusMinutes(10)), NOW));
        assertTrue(g.inWindow(t(1, NOW.plusMinutes(10)), NOW.plusMinutes(20)));
        assertFalse(g.inWindow(t(1, NOW.plusMinutes(10)), NOW.plusMinutes(20).plusSeconds(1)));
    }

    @Test
    void tDataEncodesAsRandomThenBcdDateTime() {
        StampedRandom s = new StampedRandom(new byte[] {1, 2, 3, 4}, LocalDateTime.of(2026, 11, 22, 4, 5, 6));
        assertEquals("01020304261122040506", java.util.HexFormat.of().formatHex(s.encode()));
        assertEquals(s, StampedRandom.parse(0xDF10, s.encode()));
    }
}
