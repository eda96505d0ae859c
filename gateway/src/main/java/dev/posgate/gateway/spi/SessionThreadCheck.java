package dev.posgate.gateway.spi;

import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when session code runs off the session's event loop (see docs/architecture.md,
 * Threading). A session's state has no locks because only its event loop touches it; a chain that
 * continues on another thread (an HSM, database or upstream future completed on the wrong
 * context) breaks that silently. In production a violation is counted
 * ({@code posgate_session_thread_violations_total}) and logged once per process, and the session
 * carries on; with the system property {@value #PROPERTY}{@code =fail} (every gateway test sets
 * it) it throws {@link SessionThreadViolation} where it was detected.
 */
public final class SessionThreadCheck {
    /** {@code fail}: a violation throws; anything else (or unset): counted and logged once. */
    public static final String PROPERTY = "posgate.session.threadCheck";
    /** The start of the one log line a violation writes; tests watching a gateway process look for it. */
    public static final String LOG_MARKER = "session thread violation";

    private static final Logger log = LoggerFactory.getLogger(SessionThreadCheck.class);
    /** Over every gateway in this JVM: what the tests' extension reads. */
    private static final AtomicLong violations = new AtomicLong();
    private static final AtomicBoolean logged = new AtomicBoolean();
    private static volatile String last = "none";

    /** No metrics: a check for handler tests that build their own sessions. */
    public static final SessionThreadCheck UNMETERED = new SessionThreadCheck(null);

    private final GatewayMetrics metrics;

    public SessionThreadCheck(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Violations counted in this JVM since it started. */
    public static long violations() {
        return violations.get();
    }

    /** What the latest violation in this JVM was (session, entry point, threads), for test reports. */
    public static String lastViolation() {
        return last;
    }

    /** Whether a violation throws ({@value #PROPERTY}{@code =fail}); read each time, tests set it late. */
    public static boolean failing() {
        return "fail".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /**
     * Records that {@code where} ran for {@code session} on the current thread instead of
     * {@code owner}. Returns normally in production; throws {@link SessionThreadViolation} when failing.
     */
    void violation(SessionContext session, String where, Thread owner) {
        violations.incrementAndGet();
        if (metrics != null) metrics.sessionThreadViolation();
        SessionThreadViolation e = new SessionThreadViolation(session + ": " + where + " ran on thread "
                + Thread.currentThread().getName() + ", not on the session's event loop " + owner.getName());
        last = e.getMessage();
        if (logged.compareAndSet(false, true)) {
            log.error(LOG_MARKER + " (logged once, counted in posgate_session_thread_violations_total): {}",
                    e.getMessage(), e);
        }
        if (failing()) throw e;
    }
}
