package dev.posgate.protocol.tms.handshake;

import java.util.Arrays;

/**
 * The seqs a session has used, in bounded memory: the highest seq seen and a bitmap of the
 * {@value #SIZE} seqs below it (the anti-replay window of RFC 4303). A seq already seen, or older
 * than the window, is a repeat ({@code 94}); a higher one moves the window. Terminals number their
 * requests upwards (ours count from 1), so a long download never meets the lower edge; the set this
 * replaces grew with every request of a session. No locks: one connection's window, used only on
 * that connection's event loop.
 */
public final class SeqWindow {
    /** Seqs remembered below the highest one. */
    public static final int SIZE = 1024;

    private final long[] seen = new long[SIZE / 64];
    private long highest = -1;

    /** True, and {@code seq} recorded, when it was not used before in this session; false for a repeat. */
    public boolean firstUse(long seq) {
        if (seq < 0) throw new IllegalArgumentException("seq is unsigned: " + seq);
        if (seq > highest) {
            long advance = highest < 0 ? SIZE : seq - highest;
            if (advance >= SIZE) {
                Arrays.fill(seen, 0L);
            } else {
                for (long s = highest + 1; s < seq; s++) clear(s);
            }
            highest = seq;
            set(seq);
            return true;
        }
        if (highest - seq >= SIZE || isSet(seq)) return false;
        set(seq);
        return true;
    }

    private void set(long seq) {
        int slot = (int) (seq % SIZE);
        seen[slot >>> 6] |= 1L << (slot & 63);
    }

    private void clear(long seq) {
        int slot = (int) (seq % SIZE);
        seen[slot >>> 6] &= ~(1L << (slot & 63));
    }

    private boolean isSet(long seq) {
        int slot = (int) (seq % SIZE);
        return (seen[slot >>> 6] & (1L << (slot & 63))) != 0;
    }
}
