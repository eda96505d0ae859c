package dev.posgate.gateway.spi;

/**
 * A typed key of a session attribute: the flow that owns some per-connection state (a TMS
 * handshake, a KMS exchange, a key-flow seq window) declares one constant, and reads and writes
 * the state through {@link SessionContext} without casts. Keys compare by identity, so two flows
 * cannot collide even with the same name; the name is for logs only.
 */
public final class SessionKey<T> {
    private final String name;

    private SessionKey(String name) {
        this.name = name;
    }

    /** A new key; declare it once, as a constant of the flow that owns the attribute. */
    public static <T> SessionKey<T> named(String name) {
        return new SessionKey<>(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
