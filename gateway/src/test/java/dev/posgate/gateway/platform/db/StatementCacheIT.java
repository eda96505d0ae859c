package dev.posgate.gateway.platform.db;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.support.TestGateway;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The gateway's statements stay prepared on their connection however long they are, and are
 * planned once: with Vert.x's default limit (2,048 characters) the sign-on statement was parsed,
 * analysed and planned again on every sign-on, and PostgreSQL's plan cache kept choosing a new
 * custom plan for it on every execution (issue 19, docs/benchmarks.md).
 */
class StatementCacheIT {

    @Test
    void aLongStatementIsPreparedAndPlannedOnceOnItsConnection() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            String sql = "select $1::int + 1 as n /* " + "x".repeat(Database.STATEMENT_CACHE_SQL_LIMIT - 100) + " */";
            String plans = await(gw.app().database().pool().withConnection(c -> c.preparedQuery(sql).execute(Tuple.of(1))
                    .compose(r -> c.preparedQuery(sql).execute(Tuple.of(2)))
                    // the unnamed statement an uncached query uses is not listed here
                    .compose(r -> c.preparedQuery("select count(*), sum(generic_plans), sum(custom_plans) from pg_prepared_statements"
                                    + " where statement like $1")
                            .execute(Tuple.of("select $1::int + 1 as n%")))
                    .map(rows -> {
                        var r = rows.iterator().next();
                        return r.getLong(0) + " statement, " + r.getLong(1) + " generic plans, " + r.getLong(2) + " custom plans";
                    })));
            // PostgreSQL's default (plan_cache_mode auto) plans the first five executions anew
            assertEquals("1 statement, 2 generic plans, 0 custom plans", plans, "prepared once by name, reused, planned once");
        }
    }
}
