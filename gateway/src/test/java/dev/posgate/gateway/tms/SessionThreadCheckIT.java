package dev.posgate.gateway.tms;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.spi.SessionThreadCheck;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.SessionThreadCheckExtension;
import dev.posgate.hsm.Hsm;
import dev.posgate.terminal.net.TerminalLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The session thread check catches a chain that leaves the session's event loop. The gateway's HSM
 * is wrapped in a view that completes every future on a worker context of another Vert.x (what the
 * HSM pool did before it completed on the caller's context): a TMS handshake over real TCP then
 * fails the check, counted in posgate_session_thread_violations_total, and the session is ended.
 * With the HSM as it is, the same handshake passes with no violation. The check fails here as in
 * every gateway test ({@link SessionThreadCheckExtension} sets posgate.session.threadCheck=fail).
 */
class SessionThreadCheckIT {
    private static final String VIOLATIONS = "posgate_session_thread_violations_total";

    @Test
    void aHandshakeWhoseHsmRepliesCompleteOnAnotherContextFailsTheCheck() throws Exception {
        Vertx elsewhere = Vertx.vertx();
        ContextInternal worker = ((VertxInternal) elsewhere).createWorkerContext();
        long before = SessionThreadCheck.violations();
        try (TmsFixture fx = TmsFixture.start(completingOn(worker))) {
            TmsFixture.Device d = fx.device();
            TerminalLink link = fx.link();

            assertThrows(ExecutionException.class, () -> await(fx.client(link, d).handshake()),
                    "the handshake's chain left the session's loop: the session is ended, not answered");

            assertTrue(SessionThreadCheck.violations() > before, "violation counted");
            assertTrue(Metrics.value(fx.gateway, VIOLATIONS) >= 1, "violation in " + VIOLATIONS);
            assertTrue(Metrics.value(fx.gateway, "posgate_sessions_closed_total{reason=\"thread_violation\"}") >= 1);
            assertTrue(SessionThreadCheck.lastViolation().contains("not on the session's event loop"),
                    SessionThreadCheck.lastViolation());
        } finally {
            SessionThreadCheckExtension.acknowledge(); // provoked on purpose
            await(elsewhere.close());
        }
    }

    @Test
    void theSameHandshakeWithTheHsmAsItIsPassesTheCheck() throws Exception {
        long before = SessionThreadCheck.violations();
        try (TmsFixture fx = TmsFixture.start()) {
            TmsFixture.Device d = fx.device();
            TerminalLink link = fx.link();

            assertEquals(1, await(fx.client(link, d).handshake()).size(), "handshake with the pending TMK");
            await(link.close());

            assertEquals(0.0, Metrics.value(fx.gateway, VIOLATIONS));
            assertEquals(before, SessionThreadCheck.violations());
        }
    }

    /** A view of the HSM whose futures complete on {@code context}, whoever called. */
    private static UnaryOperator<Hsm> completingOn(ContextInternal context) {
        return hsm -> (Hsm) Proxy.newProxyInstance(Hsm.class.getClassLoader(), new Class<?>[] {Hsm.class}, (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(hsm, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (!(result instanceof Future<?> future)) return result;
            PromiseInternal<Object> moved = context.promise();
            future.onComplete(ar -> {
                if (ar.succeeded()) moved.complete(ar.result());
                else moved.fail(ar.cause());
            });
            return moved.future();
        });
    }
}
