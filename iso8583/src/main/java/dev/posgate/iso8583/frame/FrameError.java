package dev.posgate.iso8583.frame;

/**
 * Why a {@link FrameDecoder} gave up on a connection. Every value is fatal: after
 * {@link FrameSink#onError(FrameError)} the decoder ignores further input and the caller closes the
 * connection. {@link #name()} is meant to be used verbatim as a metric label.
 */
public enum FrameError {
    /** LEN exceeds the configured maximum for the frame's family (checked before buffering the body). */
    OVERSIZED,
    /** The first body byte is neither {@code 0x60} nor {@code 'T'}. */
    UNKNOWN_FAMILY,
    /** A known family that this listener does not accept (its {@link FrameLimits} maximum is 0). */
    FAMILY_NOT_ACCEPTED,
    /** LEN is below what the protocol needs (an HSM frame shorter than its header). */
    UNDERSIZED
}
