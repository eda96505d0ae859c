package dev.posgate.load.gatling;

import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.stats.Status;
import io.gatling.commons.util.Clock;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import com.typesafe.scalalogging.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Common ground of the protocol's actions, written in Java against Gatling's Scala {@link Action}
 * trait: the trait's logger member, timing with Gatling's clock, and OK/KO records in the
 * StatsEngine before handing the session to the next action. Never blocks: subclasses start I/O
 * and finish from the I/O callback.
 */
abstract class PosTcpAction implements Action {
    private static final Logger LOGGER = Logger.apply(LoggerFactory.getLogger(PosTcpAction.class));

    protected final String requestName;
    protected final PosTcpComponents components;
    private final Action next;
    private final StatsEngine statsEngine;
    private final Clock clock;

    PosTcpAction(String requestName, PosTcpComponents components, Action next) {
        this.requestName = requestName;
        this.components = components;
        this.next = next;
        this.statsEngine = components.core().statsEngine();
        this.clock = components.core().clock();
    }

    @Override
    public Logger logger() {
        return LOGGER;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger logger) {
        // the Scala trait's field initialiser; our logger is the static above
    }

    @Override
    public String name() {
        return "posTcp-" + requestName;
    }

    protected long now() {
        return clock.nowMillis();
    }

    /** Records a success and continues the virtual user with {@code session}. */
    protected void succeed(Session session, long start, String responseCode) {
        long end = now();
        record(session, start, end, OK$.MODULE$, responseCode, null);
        next.$bang(session.logGroupRequestTimings(start, end));
    }

    /** Records a failure (marking the session failed, for tryMax/exitHereIfFailed) and continues. */
    protected void fail(Session session, long start, String responseCode, String message) {
        long end = now();
        record(session, start, end, KO$.MODULE$, responseCode, message);
        next.$bang(session.logGroupRequestTimings(start, end).markAsFailed());
    }

    /** Continues without recording anything (for bookkeeping actions such as disconnect). */
    protected void proceed(Session session) {
        next.$bang(session);
    }

    private void record(Session session, long start, long end, Status status, String code, String message) {
        statsEngine.logResponse(session.scenario(), session.groups(), requestName, start, end, status,
                Option.apply(code), Option.apply(message));
    }
}
