package dev.posgate.gateway.support;

import dev.posgate.gateway.spi.SessionThreadCheck;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Switches the session thread check to failing for every gateway test (registered for all of them
 * through META-INF/services and junit-platform.properties), and fails a test, or its class's
 * teardown, during which a violation was counted in this JVM. Gateways run as a separate process
 * get the property from {@link GatewayProcess}, which fails on their violations itself.
 * A test that provokes violations on purpose calls {@link #acknowledge()}.
 */
public final class SessionThreadCheckExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static {
        // before any test class initialises a gateway (static fixtures included)
        System.setProperty(SessionThreadCheck.PROPERTY, "fail");
    }

    /** Violations already reported or acknowledged; tests of one JVM run one at a time. */
    private static long seen = SessionThreadCheck.violations();

    /** Accepts the violations counted so far (a test that provokes them); returns how many were new. */
    public static synchronized long acknowledge() {
        long now = SessionThreadCheck.violations();
        long fresh = now - seen;
        seen = now;
        return fresh;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(SessionThreadCheck.PROPERTY, "fail");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnNewViolations(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnNewViolations(context.getDisplayName() + " (class set-up or teardown)");
    }

    private static void failOnNewViolations(String during) {
        long fresh = acknowledge();
        if (fresh > 0) {
            throw new AssertionError(fresh + " session thread violation(s) during " + during
                    + ": session code ran off its event loop; the latest: " + SessionThreadCheck.lastViolation());
        }
    }
}
