package dev.posgate.hsm.transport;

import io.vertx.core.Future;

/**
 * Carries one host command to an HSM and brings back its reply.
 *
 * <p>The seam between the command layer (what a command means, {@code dev.posgate.hsm.command})
 * and the wire (framing, header correlation, pooling, failover, {@code dev.posgate.hsm.pool}).
 * The bytes exchanged here exclude the 2-byte length prefix and the correlation header: a
 * request is the 2-character command code followed by its fields, a reply is the 2-character
 * reply code, the 2-digit error code and the reply fields.
 */
public interface HsmTransport {

    /**
     * Sends {@code command} and completes with the reply payload. Fails with
     * {@link HsmUnavailableException} when no HSM could take the command (all hosts down,
     * circuit open, pool closed) and {@link HsmTimeoutException} when the reply did not come
     * in time; never with a protocol-level error code (those are in the reply).
     */
    Future<byte[]> execute(byte[] command);

    /** Stops taking commands, fails those in flight with {@link HsmUnavailableException}, closes connections. */
    Future<Void> close();
}
