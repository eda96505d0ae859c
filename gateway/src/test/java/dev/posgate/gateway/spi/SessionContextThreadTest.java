package dev.posgate.gateway.spi;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.support.SessionThreadCheckExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The check on one session context: silent on its loop; off it, counted (production) or thrown (tests). */
class SessionContextThreadTest {
    private static final SessionKey<StringBuilder> NOTES = SessionKey.named("notes");

    private Vertx vertx;
    private SimpleMeterRegistry registry;
    private SessionContext session;

    @BeforeEach
    void sessionOnAnEventLoop() throws Exception {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        SessionThreadCheck check = new SessionThreadCheck(new GatewayMetrics(registry));
        Context loop = vertx.getOrCreateContext();
        Promise<SessionContext> made = Promise.promise();
        loop.runOnContext(v -> made.complete(SessionContext.onCurrentEventLoop(1, "127.0.0.1", check)));
        session = await(made.future());
    }

    @AfterEach
    void close() throws Exception {
        System.setProperty(SessionThreadCheck.PROPERTY, "fail");
        SessionThreadCheckExtension.acknowledge(); // provoked on purpose
        await(vertx.close());
    }

    @Test
    void onItsLoopAttributesAreTypedAndNothingIsCounted() throws Exception {
        Promise<StringBuilder> read = Promise.promise();
        session.runOnEventLoop(() -> {
            session.getOrCreate(NOTES, StringBuilder::new).append("h1");
            read.complete(session.get(NOTES));
        });
        assertEquals("h1", await(read.future()).toString());
        assertEquals(0.0, violations());
    }

    @Test
    void offItsLoopProductionCountsAndCarriesOn() {
        System.clearProperty(SessionThreadCheck.PROPERTY);
        long before = SessionThreadCheck.violations();
        StringBuilder notes = new StringBuilder();
        session.put(NOTES, notes); // the test thread is not the session's loop
        assertSame(notes, session.get(NOTES));
        assertEquals(2.0, violations());
        assertEquals(before + 2, SessionThreadCheck.violations());
    }

    @Test
    void offItsLoopTheFailingCheckThrows() {
        System.setProperty(SessionThreadCheck.PROPERTY, "fail");
        SessionThreadViolation e = assertThrows(SessionThreadViolation.class, () -> session.get(NOTES));
        assertEquals(true, e.getMessage().contains("attribute notes ran on thread " + Thread.currentThread().getName()), e.getMessage());
        assertEquals(1.0, violations());
    }

    private double violations() {
        return registry.get("posgate_session_thread_violations_total").counter().count();
    }
}
