package dev.posgate.protocol.tms.handshake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqWindowTest {
    private final SeqWindow w = new SeqWindow();

    @Test
    void eachSeqIsAdmittedOnce() {
        assertTrue(w.firstUse(1));
        assertTrue(w.firstUse(2));
        assertFalse(w.firstUse(1));
        assertFalse(w.firstUse(2));
        assertTrue(w.firstUse(0), "a lower seq not yet seen, within the window");
        assertFalse(w.firstUse(0));
    }

    @Test
    void outOfOrderWithinTheWindowIsAdmittedAndAnythingOlderIsARepeat() {
        assertTrue(w.firstUse(5000));
        assertTrue(w.firstUse(5000 - SeqWindow.SIZE + 1));
        assertFalse(w.firstUse(5000 - SeqWindow.SIZE), "below the window: treated as a repeat");
        assertTrue(w.firstUse(4999));
    }

    @Test
    void aMillionRequestsKeepTheWindowExactAndTheMemoryFixed() {
        for (long s = 1; s <= 1_000_000; s++) assertTrue(w.firstUse(s));
        for (long s = 1_000_000 - SeqWindow.SIZE + 1; s <= 1_000_000; s++) assertFalse(w.firstUse(s));
    }

    @Test
    void aJumpClearsTheSlotsItPassesAndTheUnsigned32BitMaximumWorks() {
        assertTrue(w.firstUse(10));
        assertTrue(w.firstUse(10 + 3 * SeqWindow.SIZE));
        assertTrue(w.firstUse(10 + 2 * SeqWindow.SIZE + 1), "same slot as 10 and 1034, but a different seq");
        assertTrue(w.firstUse(0xFFFF_FFFFL));
        assertFalse(w.firstUse(0xFFFF_FFFFL));
    }
}
