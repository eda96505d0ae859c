package dev.posgate.protocol.posp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Field 62 of a successful sign-on response: PIK, MAK and (004) TDK, each encrypted under the
 * terminal's TMK or PSAM card key and followed by the first 4 bytes of its KCV. Both sides use
 * this one layout, so the gateway's encoder and the terminal's decoder cannot drift apart.
 */
public final class WorkingKeyBlock {
    /** One encrypted working key and its check value. */
    public record Entry(byte[] encryptedKey, byte[] kcv) {
        public Entry {
            encryptedKey = encryptedKey.clone();
            kcv = kcv.clone();
        }

        /**
         * A single-length key in a double-length slot (003/004 for a terminal whose profile asks
         * for a single-length MAK; protocol.md 2.1): its 8 encrypted bytes, then 8 zero bytes.
         */
        public static Entry singleLength(byte[] encryptedKey8, byte[] kcv) {
            if (encryptedKey8.length != 8) throw new IllegalArgumentException("a single-length key is 8 bytes");
            return new Entry(Arrays.copyOf(encryptedKey8, 16), kcv);
        }

        @Override
        public byte[] encryptedKey() {
            return encryptedKey.clone();
        }

        @Override
        public byte[] kcv() {
            return kcv.clone();
        }
    }

    private final SignOnMode mode;
    private final List<Entry> entries;

    private WorkingKeyBlock(SignOnMode mode, List<Entry> entries) {
        this.mode = mode;
        this.entries = List.copyOf(entries);
    }

    /** PIK, MAK and, for {@link SignOnMode#DOUBLE_WITH_TDK}, TDK, in that order. */
    public static WorkingKeyBlock of(SignOnMode mode, List<Entry> entries) {
        Objects.requireNonNull(mode, "mode");
        if (entries.size() != mode.keyCount()) {
            throw new IllegalArgumentException(mode + " carries " + mode.keyCount() + " keys, got " + entries.size());
        }
        for (Entry e : entries) {
            if (e.encryptedKey.length != mode.keyLength()) {
                throw new IllegalArgumentException(mode + " keys are " + mode.keyLength() + " bytes, got " + e.encryptedKey.length);
            }
            if (e.kcv.length < SignOnMode.KCV_LENGTH) {
                throw new IllegalArgumentException("a KCV needs at least 4 bytes");
            }
        }
        return new WorkingKeyBlock(mode, entries);
    }

    /**
     * {@link #of} for a terminal of {@code algorithm}: the same 003/004 layout; an SM4 terminal's
     * keys are 16-byte SM4 keys (SM4-ECB under the SM4 TMK) with 4-byte SM4 KCVs, so 001 (single
     * length) and a single-length entry are refused.
     */
    public static WorkingKeyBlock of(SignOnMode mode, KeyAlgorithm algorithm, List<Entry> entries) {
        requireLayout(mode, algorithm);
        if (algorithm == KeyAlgorithm.SM4) {
            for (Entry e : entries) {
                if (isSingleLengthSlot(e.encryptedKey)) {
                    throw new IllegalArgumentException("an SM4 key is 16 bytes, not a single-length key with zero fill");
                }
            }
        }
        return of(mode, entries);
    }

    /** {@link #decode} for a terminal of {@code algorithm} (SM4: 003 or 004 only). */
    public static WorkingKeyBlock decode(SignOnMode mode, KeyAlgorithm algorithm, byte[] field62) {
        requireLayout(mode, algorithm);
        return decode(mode, field62);
    }

    /** Whether a terminal of {@code algorithm} can sign on with {@code mode}: SM4 has no single-length key. */
    public static boolean supports(SignOnMode mode, KeyAlgorithm algorithm) {
        return algorithm != KeyAlgorithm.SM4 || mode.keyLength() == 16;
    }

    private static void requireLayout(SignOnMode mode, KeyAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!supports(mode, algorithm)) {
            throw new IllegalArgumentException("SM4 keys are 16 bytes: no " + mode.code() + " sign-on for an SM4 terminal");
        }
    }

    private static boolean isSingleLengthSlot(byte[] key) {
        if (key.length != 16) return false;
        for (int i = 8; i < 16; i++) if (key[i] != 0) return false;
        return true;
    }

    /** Parses field 62; its length must be exactly the mode's. */
    public static WorkingKeyBlock decode(SignOnMode mode, byte[] field62) {
        if (field62 == null || field62.length != mode.field62Length()) {
            throw new IllegalArgumentException("field 62 of a " + mode.code() + " sign-on is " + mode.field62Length()
                    + " bytes, got " + (field62 == null ? "none" : field62.length));
        }
        List<Entry> out = new ArrayList<>(mode.keyCount());
        int step = mode.keyLength() + SignOnMode.KCV_LENGTH;
        for (int off = 0; off < field62.length; off += step) {
            out.add(new Entry(Arrays.copyOfRange(field62, off, off + mode.keyLength()),
                    Arrays.copyOfRange(field62, off + mode.keyLength(), off + step)));
        }
        return new WorkingKeyBlock(mode, out);
    }

    /** The bytes of field 62. */
    public byte[] encode() {
        byte[] out = new byte[mode.field62Length()];
        int off = 0;
        for (Entry e : entries) {
            System.arraycopy(e.encryptedKey, 0, out, off, mode.keyLength());
            System.arraycopy(e.kcv, 0, out, off + mode.keyLength(), SignOnMode.KCV_LENGTH);
            off += mode.keyLength() + SignOnMode.KCV_LENGTH;
        }
        return out;
    }

    public SignOnMode mode() {
        return mode;
    }

    public Entry pik() {
        return entries.get(0);
    }

    public Entry mak() {
        return entries.get(1);
    }

    /** The TDK entry, or null for 001/003. */
    public Entry tdk() {
        return mode.hasTdk() ? entries.get(2) : null;
    }
}
