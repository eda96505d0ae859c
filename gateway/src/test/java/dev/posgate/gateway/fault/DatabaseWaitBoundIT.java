package dev.posgate.gateway.fault;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hung database holds the queries already sent to it, but nothing more queues behind them
 * without bound or for ever: a query that finds every pooled connection busy waits at most
 * db.pool.wait.ms, and beyond db.pool.queue.max waiting queries it fails at once. The requests
 * behind those queries are answered 96 by the dispatcher instead of hanging.
 */
class DatabaseWaitBoundIT {
    private static final Logger log = LoggerFactory.getLogger(DatabaseWaitBoundIT.class);
    private static final int WAIT_MS = 500;
    private static final int QUEUE_MAX = 10;
    private static final int QUERIES = 200;
    /** Connections: one holds LISTEN (PSAM bindings), one serves queries, one at a time. */
    private static final int POOL = 2;

    @Test
    void queriesBehindAHungDatabaseFailWithinTheWaitOrAtOnceBeyondTheQueue() throws Exception {
        try (HangingPostgres pg = HangingPostgres.start();
                TestGateway gw = TestGateway.start(Map.of(Setting.DB_URL, pg.url(), Setting.DB_POOL_SIZE, POOL,
                        Setting.DB_POOL_WAIT_MS, WAIT_MS, Setting.DB_POOL_QUEUE_MAX, QUEUE_MAX))) {
            Pool db = gw.app().database().pool();
            await(db.query("select 1").execute());
            pg.hang();
            long frozen = System.nanoTime();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < QUERIES; i++) {
                all.add(db.query("select 1").execute()
                        .onSuccess(r -> answered.incrementAndGet())
                        .onFailure(e -> failed.incrementAndGet()));
            }
            // beyond the wait queue: refused at once
            Eventually.until("the queries beyond the wait queue are refused", () -> failed.get() >= QUERIES - POOL - QUEUE_MAX);
            long refusedWithinMs = (System.nanoTime() - frozen) / 1_000_000;
            int refused = failed.get();
            assertTrue(refused >= QUERIES - POOL - QUEUE_MAX, "queries beyond the wait queue fail at once: " + refused);
            // in the wait queue: failed after db.pool.wait.ms, while the database is still hung
            int failedWhileHung = Eventually.value("the waiting queries time out", failed::get,
                    n -> n >= refused + QUEUE_MAX || n >= QUERIES - POOL);
            assertEquals(0, answered.get(), "nothing crosses a hung link");
            assertTrue(failedWhileHung >= refused + QUEUE_MAX || failedWhileHung >= QUERIES - POOL,
                    "the waiting queries timed out: " + refused + " refused, " + failedWhileHung + " failed in all");
            pg.resume();
            await(Future.join(all).otherwiseEmpty());
            assertEquals(QUERIES, answered.get() + failed.get(), "every query completed one way or the other");
            assertTrue(answered.get() > 0 && answered.get() <= POOL, "only the queries already sent are answered once it thaws: "
                    + answered.get());
            await(db.query("select 1").execute());
            log.info("DB WAIT BOUND: {} queries on a hung link: {} refused within {} ms, {} failed after waiting {} ms,"
                    + " {} answered after the thaw", QUERIES, refused, refusedWithinMs, failedWhileHung - refused, WAIT_MS,
                    answered.get());
        }
    }
}
