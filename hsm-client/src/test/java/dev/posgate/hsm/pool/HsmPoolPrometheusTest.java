package dev.posgate.hsm.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The meters as Prometheus scrapes them: base units and {@code _total} on counters. */
class HsmPoolPrometheusTest extends PoolTestSupport {

    @Test
    void exposesPrometheusNames() {
        PrometheusMeterRegistry prom = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry = prom;
        FakeHsmServer hsm = server().responder(ex -> {
            if (ex.command().equals("A0")) {
                ex.send("ZZZZ", b("A100")); // stray reply first
                ex.reply(b("A115"));
            } else {
                ex.replyDefault();
            }
        });
        HsmPool pool = started(config(hsm).connectionsPerHost(1).build());
        assertEquals("A115", s(await(pool.execute(b("A0002U")))));

        String text = prom.scrape();
        for (String expected : new String[] {
                "hsm_request_seconds_bucket{command=\"A0\",outcome=\"ok\",pool=\"hsm\",le=\"0.001\"}",
                "hsm_request_seconds_count{command=\"A0\",outcome=\"ok\",pool=\"hsm\"} 1",
                "hsm_errors_total{code=\"15\",command=\"A0\",pool=\"hsm\"} 1",
                "hsm_replies_dropped_total{pool=\"hsm\",reason=\"unknown_id\"} 1",
                "hsm_replies_dropped_total{pool=\"hsm\",reason=\"late\"} 0",
                "hsm_inflight{pool=\"hsm\"} 0",
                "hsm_queued{pool=\"hsm\"} 0",
                "hsm_connections{pool=\"hsm\",state=\"up\"} 1",
                "hsm_connections{pool=\"hsm\",state=\"down\"} 0",
                "hsm_circuit_open{pool=\"hsm\"} 0",
                "hsm_health_checks_total{pool=\"hsm\",result=\"ok\"} 1",
        }) {
            assertTrue(text.contains(expected), expected + " in\n" + text);
        }
    }
}
