package dev.posgate.gateway.spi;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What handlers may know and keep about one terminal connection. Confined to the connection's
 * event loop (recorded when the session is accepted), so plain fields and a plain map suffice:
 * {@link #checkThread} at the entry points detects code that runs elsewhere
 * ({@link SessionThreadCheck}). Per-flow state (TMS handshake, KMS randoms) is a typed attribute
 * under the flow's own {@link SessionKey}.
 */
public final class SessionContext {
    private final long id;
    private final String remoteAddress;
    /** The session's event loop; null for an unconfined context (handler unit tests, no event loop). */
    private final Context eventLoop;
    private final Thread eventLoopThread;
    private final SessionThreadCheck check;
    private final Map<SessionKey<?>, Object> attributes = new HashMap<>();
    /** Created on first use: most sessions never wait for anything (a held connection stays small). */
    private List<Runnable> closeActions;
    private boolean closed;

    /** An unconfined context, for tests that drive handlers without a listener: nothing is checked. */
    public SessionContext(long id, String remoteAddress) {
        this(id, remoteAddress, null, null, null);
    }

    private SessionContext(long id, String remoteAddress, Context eventLoop, Thread thread, SessionThreadCheck check) {
        this.id = id;
        this.remoteAddress = remoteAddress;
        this.eventLoop = eventLoop;
        this.eventLoopThread = thread;
        this.check = check;
    }

    /** A context confined to the event loop the caller runs on (the listener's, accepting the connection). */
    public static SessionContext onCurrentEventLoop(long id, String remoteAddress, SessionThreadCheck check) {
        Context current = Vertx.currentContext();
        if (current == null || !current.isEventLoopContext()) {
            throw new IllegalStateException("a session is accepted on an event loop, not on " + Thread.currentThread().getName());
        }
        return new SessionContext(id, remoteAddress, current, Thread.currentThread(), check);
    }

    public long id() {
        return id;
    }

    /** The source IP (no port), for logs and per-IP limits. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** Whether the caller runs on the session's event loop (always true for an unconfined context). */
    public boolean onEventLoop() {
        return eventLoopThread == null || Thread.currentThread() == eventLoopThread;
    }

    /**
     * Detects session code running off the session's event loop: counted and logged once in
     * production, a {@link SessionThreadViolation} when {@code posgate.session.threadCheck=fail}.
     * {@code where} names the entry point (frame, reply, attribute...).
     */
    public void checkThread(String where) {
        if (!onEventLoop()) check.violation(this, where, eventLoopThread);
    }

    /**
     * Reports that {@code where} runs off the session's event loop (the caller checked
     * {@link #onEventLoop()}): true when the session may carry on from its loop (production),
     * false when the check fails ({@code posgate.session.threadCheck=fail}).
     */
    public boolean offLoopTolerated(String where) {
        try {
            check.violation(this, where, eventLoopThread);
            return true;
        } catch (SessionThreadViolation e) {
            return false;
        }
    }

    /** Runs {@code action} on the session's event loop (at once for an unconfined context). */
    public void runOnEventLoop(Runnable action) {
        if (eventLoop == null) {
            action.run();
        } else {
            eventLoop.runOnContext(v -> action.run());
        }
    }

    /** Whether the terminal's connection has closed (its answers are dropped). */
    public boolean closed() {
        checkThread("closed");
        return closed;
    }

    /**
     * Runs {@code action} on the session's event loop when the connection closes (at once if it has
     * closed): work queued for the terminal gives its place up. Returns what unregisters it, for
     * work that no longer waits.
     */
    public Runnable onClose(Runnable action) {
        checkThread("onClose");
        if (closed) {
            action.run();
            return () -> {};
        }
        if (closeActions == null) closeActions = new ArrayList<>(2);
        closeActions.add(action);
        List<Runnable> registered = closeActions;
        return () -> {
            checkThread("onClose");
            registered.remove(action);
        };
    }

    /** The listener's, once, when the connection has closed: runs the {@link #onClose} actions. */
    public void connectionClosed() {
        checkThread("connectionClosed");
        if (closed) return;
        closed = true;
        if (closeActions == null) return;
        List<Runnable> actions = closeActions;
        closeActions = null;
        for (Runnable a : actions) a.run();
    }

    /** The attribute under {@code key}, or null. */
    public <T> T get(SessionKey<T> key) {
        checkThread("attribute " + key);
        @SuppressWarnings("unchecked") // put only stores a T under a SessionKey<T>
        T value = (T) attributes.get(key);
        return value;
    }

    /** The attribute under {@code key}, created by {@code create} on first use. */
    public <T> T getOrCreate(SessionKey<T> key, Supplier<? extends T> create) {
        T value = get(key);
        if (value == null) {
            value = create.get();
            attributes.put(key, value);
        }
        return value;
    }

    public <T> void put(SessionKey<T> key, T value) {
        checkThread("attribute " + key);
        attributes.put(key, value);
    }

    /** Removes the attribute under {@code key}; the value it had, or null. */
    public <T> T remove(SessionKey<T> key) {
        checkThread("attribute " + key);
        @SuppressWarnings("unchecked") // put only stores a T under a SessionKey<T>
        T value = (T) attributes.remove(key);
        return value;
    }

    @Override
    public String toString() {
        return "session#" + id + "@" + remoteAddress;
    }
}
