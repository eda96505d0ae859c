package dev.posgate.gateway.tms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * H1 per serial (tms.h1.rate): every H1 costs a DWK generation and a TAC in the HSM and anyone who
 * knows a serial may send one. Over the rate the H1 is answered 12 before any database or HSM
 * work, counted, not audited, and the session ends. Three an hour here, so that "within the
 * window" never depends on the machine's speed.
 */
class TmsHandshakeRateIT {
    private static TmsFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new TmsFixture(Map.of(Setting.TMS_DMK_CEREMONY, true, Setting.TMS_H1_RATE, 3, Setting.KEY_RATE_WINDOW, 3600));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) fx.close();
    }

    private static TmsMessage h1(TerminalConnection c, TmsFixture.Device d) throws Exception {
        H1Request h1 = new H1Request(d.identity().vendor(), d.identity().model(), d.identity().serial(), 1,
                new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now()));
        return TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false), h1.toTlvs()).pack()));
    }

    @Test
    void theFourthH1ForASerialWithinTheWindowIsA12CountedNotAudited() throws Exception {
        TmsFixture.Device d = fx.device();
        for (int i = 1; i <= 3; i++) {
            try (TerminalConnection c = fx.gateway.connect()) {
                assertEquals("00", h1(c, d).header().status(), "H1 " + i);
            }
        }
        double refused = Metrics.value(fx.gateway, "posgate_rate_limited_total{flow=\"tms_h1\"}");
        long audited = count("select count(*) from audit_log where subject = $1", d.identity().serial());
        try (TerminalConnection c = fx.gateway.connect()) {
            assertEquals("12", h1(c, d).header().status());
            assertTrue(c.closedByPeer(5000), "the session ends");
        }
        assertEquals(refused + 1, Metrics.value(fx.gateway, "posgate_rate_limited_total{flow=\"tms_h1\"}"));
        assertEquals(audited, count("select count(*) from audit_log where subject = $1", d.identity().serial()));
        try (TerminalConnection c = fx.gateway.connect()) {
            assertEquals("00", h1(c, fx.device()).header().status(), "another serial is not held back");
        }
    }

    private static long count(String sql, Object... params) throws Exception {
        return Eventually.await(fx.gateway.app().database().pool().preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.wrap(params)))
                .iterator().next().getLong(0);
    }
}
