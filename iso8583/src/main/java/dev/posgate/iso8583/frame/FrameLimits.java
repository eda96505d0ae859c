package dev.posgate.iso8583.frame;

/**
 * Per-family maximum of the frame LEN field, i.e. the body length in bytes (the family byte included,
 * the 2 length bytes excluded).
 *
 * <p>LEN is an unsigned 16-bit field, so no frame body can exceed {@value #MAX_LEN} bytes: the
 * protocol's "64 KiB" TMS/KMS default is therefore effectively 65535. A maximum of 0 means the family
 * is not accepted at all on this listener ({@link FrameError#FAMILY_NOT_ACCEPTED}).
 *
 * @param maxIso maximum LEN of an ISO8583 frame, 0..65535
 * @param maxTms maximum LEN of a TMS/KMS frame, 0..65535
 */
public record FrameLimits(int maxIso, int maxTms) {
    /** The largest value LEN can carry. */
    public static final int MAX_LEN = 0xFFFF;
    /** protocol.md default for ISO8583 listeners: 8 KiB. */
    public static final int DEFAULT_MAX_ISO = 8192;
    /** protocol.md default for TMS/KMS: 64 KiB, i.e. the u16 maximum 65535. */
    public static final int DEFAULT_MAX_TMS = MAX_LEN;

    private static final FrameLimits DEFAULTS = new FrameLimits(DEFAULT_MAX_ISO, DEFAULT_MAX_TMS);

    public FrameLimits {
        if (maxIso < 0 || maxIso > MAX_LEN) {
            throw new IllegalArgumentException("maxIso must be 0.." + MAX_LEN + ": " + maxIso);
        }
        if (maxTms < 0 || maxTms > MAX_LEN) {
            throw new IllegalArgumentException("maxTms must be 0.." + MAX_LEN + ": " + maxTms);
        }
    }

    /** 8192 for ISO8583, 65535 (the u16 maximum, "64 KiB") for TMS/KMS. */
    public static FrameLimits defaults() {
        return DEFAULTS;
    }

    /** The maximum LEN for {@code family}; 0 when the family is not accepted. */
    public int max(Family family) {
        return family == Family.ISO8583 ? maxIso : maxTms;
    }

    /** The largest LEN any accepted family may announce. */
    public int maxAny() {
        return Math.max(maxIso, maxTms);
    }
}
