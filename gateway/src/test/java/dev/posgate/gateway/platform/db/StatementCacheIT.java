package dev.posgate.gateway.platform.db;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.support.TestGateway;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The gateway's statements stay prepared on their connection however long they are: with Vert.x's
 * default limit (2,048 characters) the sign-on statement was parsed, analysed and planned again on
 * every sign-on (issue 19, docs/benchmarks.md).
 */
class StatementCacheIT {

    @Test
    void aLongStatementIsPreparedOnceOnItsConnection() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            String sql = "select $1::int + 1 as n /* " + "x".repeat(Database.STATEMENT_CACHE_SQL_LIMIT - 100) + " */";
            long prepared = await(gw.app().database().pool().withConnection(c -> c.preparedQuery(sql).execute(Tuple.of(1))
                    .compose(r -> c.preparedQuery(sql).execute(Tuple.of(2)))
                    // the unnamed statement an uncached query uses is not listed here
                    .compose(r -> c.preparedQuery("select count(*) from pg_prepared_statements where statement like $1")
                            .execute(Tuple.of("select $1::int + 1 as n%")))
                    .map(rows -> rows.iterator().next().getLong(0))));
            assertEquals(1, prepared, "prepared once, by name, and reused");
        }
    }
}
