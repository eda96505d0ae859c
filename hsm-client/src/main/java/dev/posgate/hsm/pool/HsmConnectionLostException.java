package dev.posgate.hsm.pool;

import dev.posgate.hsm.transport.HsmUnavailableException;

/**
 * The command had been written to an HSM connection that then closed before its reply arrived.
 *
 * <p>The HSM may or may not have executed it, so the pool does <em>not</em> retry it: many host
 * commands are not idempotent (A0 generates a fresh key each time, HC/HA rotate a terminal key),
 * and replaying one could leave the caller with a different key than the HSM side effects (or a
 * peer) assume. The caller decides whether a retry is safe for that command. Commands that were
 * provably not written (the write failed) are never failed with this exception; the pool sends
 * them on another connection instead.
 */
public class HsmConnectionLostException extends HsmUnavailableException {
    private final String connection;

    public HsmConnectionLostException(String message, String connection) {
        super(message);
        this.connection = connection;
    }

    /** The connection the command was in flight on, as {@code host:port#slot}. */
    public String connection() {
        return connection;
    }
}
