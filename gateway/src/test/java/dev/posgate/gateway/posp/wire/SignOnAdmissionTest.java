package dev.posgate.gateway.posp.wire;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.spi.SessionContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sign-on admission's FIFO without sockets: unconfined sessions (work starts on the thread that
 * frees the place), work the test completes by hand, the real Vert.x timer for the wait bound.
 */
class SignOnAdmissionTest {
    private static final Duration LONG = Duration.ofMinutes(10);

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Names of the works started, in order. */
    private final List<String> started = new ArrayList<>();
    /** Each started work's completion, by name. */
    private final Map<String, Promise<String>> running = new HashMap<>();

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    private Supplier<Future<String>> work(String name) {
        return () -> {
            started.add(name);
            Promise<String> p = Promise.promise();
            running.put(name, p);
            return p.future();
        };
    }

    private static SessionContext session(long id) {
        return new SessionContext(id, "127.0.0.1");
    }

    private Future<String> run(SignOnAdmission admission, String name) {
        return run(admission, session(name.hashCode()), name);
    }

    private Future<String> run(SignOnAdmission admission, SessionContext session, String name) {
        return admission.run(session, work(name), () -> "refused " + name);
    }

    private double refused(String reason) {
        return registry.get("posgate_posp_sign_on_refused_total").tag("reason", reason).counter().count();
    }

    @Test
    void waitersStartOldestFirstAsPlacesFreeAndBeyondTheBoundAreRefusedAtOnce() {
        SignOnAdmission admission = new SignOnAdmission(vertx, 2, 3, LONG, registry);
        Future<String> a = run(admission, "a");
        Future<String> b = run(admission, "b");
        Future<String> c = run(admission, "c");
        Future<String> d = run(admission, "d");
        Future<String> e = run(admission, "e");
        Future<String> f = run(admission, "f");
        assertEquals(List.of("a", "b"), started, "two places");
        assertEquals(3, admission.waiting());
        assertEquals("refused f", f.result(), "the queue is full: refused at once");
        assertEquals(1, refused("queue_full"));
        assertFalse(started.contains("f"), "no work for a refused sign-on");

        running.get("b").complete("done b");
        assertEquals("done b", b.result());
        assertEquals(List.of("a", "b", "c"), started, "the oldest waiter takes the freed place");
        running.get("a").fail("HSM down");
        assertTrue(a.failed());
        assertEquals(List.of("a", "b", "c", "d"), started, "a failed sign-on frees its place too");
        assertEquals(2, admission.inProgress());
        assertEquals(1, admission.waiting());
        running.get("c").complete("done c");
        running.get("d").complete("done d");
        running.get("e").complete("done e");
        assertEquals(List.of("a", "b", "c", "d", "e"), started);
        assertEquals(List.of("done c", "done d", "done e"), List.of(c.result(), d.result(), e.result()));
        assertEquals(0, admission.inProgress());
        assertEquals(0, admission.waiting());
        assertEquals(3, registry.get("posgate_posp_sign_on_wait_seconds").timer().count(), "c, d and e waited");
        assertEquals(0, registry.get("posgate_posp_sign_on_waiting").gauge().value());
    }

    @Test
    void aTerminalThatDisconnectsWhileWaitingGivesItsPlaceUpAndNoWorkIsDoneForIt() {
        SignOnAdmission admission = new SignOnAdmission(vertx, 1, 1, LONG, registry);
        Future<String> a = run(admission, "a");
        SessionContext gone = session(2);
        Future<String> b = run(admission, gone, "b");
        assertEquals("refused c", run(admission, "c").result(), "one place in the queue, b's");

        gone.connectionClosed();
        assertEquals("refused b", b.result(), "answered (to nobody) when the terminal left");
        assertEquals(0, admission.waiting(), "its place in the queue is free");
        assertEquals(1, registry.get("posgate_posp_sign_on_abandoned_total").counter().count());
        Future<String> d = run(admission, "d");
        assertFalse(d.isComplete(), "d waits in b's place");

        running.get("a").complete("done a");
        assertEquals("done a", a.result());
        assertEquals(List.of("a", "d"), started, "b never started");
        running.get("d").complete("done d");
        assertEquals("done d", d.result());
        assertEquals(0, admission.inProgress());
    }

    @Test
    void aWaiterPastTheWaitBoundIsRefusedWithoutWorkAndTheQueueMovesOn() throws Exception {
        SignOnAdmission admission = new SignOnAdmission(vertx, 1, 10, Duration.ofMillis(50), registry);
        Future<String> a = run(admission, "a");
        Future<String> b = run(admission, "b");
        assertEquals("refused b", await(b), "b waited past the bound");
        assertEquals(1, refused("wait_timeout"));
        assertEquals(0, admission.waiting());

        Future<String> c = admission.run(session(3), work("c"), () -> "refused c");
        running.get("a").complete("done a");
        assertEquals("done a", a.result());
        // c either started in a's place or timed out itself meanwhile (a loaded machine): never b
        assertFalse(started.contains("b"), "no work for the refused waiter");
        if (started.contains("c")) {
            running.get("c").complete("done c");
            assertEquals("done c", await(c));
        } else {
            assertEquals("refused c", await(c));
        }
        assertEquals(0, admission.inProgress());
    }

    @Test
    void theFirstPlaceIsTakenAtOnceWithoutWaiting() {
        SignOnAdmission admission = new SignOnAdmission(vertx, 1, 0, LONG, registry);
        Future<String> a = run(admission, "a");
        assertEquals(List.of("a"), started);
        assertEquals("refused b", run(admission, "b").result(), "no queue: refused at once");
        running.get("a").complete("done a");
        assertEquals("done a", a.result());
        assertEquals(0, registry.get("posgate_posp_sign_on_wait_seconds").timer().count());
        run(admission, "c");
        assertEquals(List.of("a", "c"), started, "the place is free again");
    }
}
