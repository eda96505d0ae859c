package dev.posgate.hsm.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HsmPoolConfigTest {

    @Test
    void defaults() {
        HsmPoolConfig c = HsmPoolConfig.builder().host("10.0.0.1:1500").build();
        assertEquals("hsm", c.name());
        assertEquals(List.of(new HsmPoolConfig.Host("10.0.0.1", 1500)), c.hosts());
        assertEquals(2, c.connectionsPerHost());
        assertEquals(4, c.headerLength());
        assertEquals(Duration.ofSeconds(2), c.requestTimeout());
        assertEquals(Duration.ofSeconds(3), c.connectTimeout());
        assertEquals(32, c.maxInFlightPerConnection());
        assertEquals(0, c.maxWaitQueue());
        assertEquals(Duration.ofMillis(100), c.reconnectInitialBackoff());
        assertEquals(Duration.ofSeconds(5), c.reconnectMaxBackoff());
        assertEquals(0.2, c.reconnectJitter());
        assertEquals(Duration.ofSeconds(5), c.healthCheckInterval());
        assertTrue(c.probeOnConnect());
        assertEquals(3, c.breakerConsecutiveTimeouts());
        assertEquals(32 * 1024, c.maxReplyFrameBytes());
        assertEquals(36L * 36 * 36 * 36, c.idSpace());
        assertEquals(c.toString(), c.toBuilder().build().toString());
    }

    @Test
    void parsesHosts() {
        assertEquals(new HsmPoolConfig.Host("hsm-a.internal", 1500),
                HsmPoolConfig.Host.parse("hsm-a.internal:1500"));
        HsmPoolConfig.Host v6 = HsmPoolConfig.Host.parse("[::1]:9998");
        assertEquals("::1", v6.host());
        assertEquals("[::1]:9998", v6.toString());
        assertThrows(IllegalArgumentException.class, () -> HsmPoolConfig.Host.parse("nohost"));
        assertThrows(IllegalArgumentException.class, () -> HsmPoolConfig.Host.parse("h:x"));
        assertThrows(IllegalArgumentException.class, () -> HsmPoolConfig.Host.parse("h:70000"));
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThrows(IllegalArgumentException.class, () -> HsmPoolConfig.builder().build());
        HsmPoolConfig ok = HsmPoolConfig.builder().host("h:1").build();
        assertThrows(IllegalArgumentException.class, () -> ok.toBuilder().connectionsPerHost(0).build());
        assertThrows(IllegalArgumentException.class, () -> ok.toBuilder().headerLength(0).build());
        // a 1-char header has 36 ids: too few for 32 in flight plus quarantined late ids
        assertThrows(IllegalArgumentException.class, () -> ok.toBuilder().headerLength(1).build());
        HsmPoolConfig small = ok.toBuilder().headerLength(1).maxInFlightPerConnection(8).build();
        assertEquals(36, small.idSpace());
        assertThrows(IllegalArgumentException.class,
                () -> ok.toBuilder().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> ok.toBuilder().reconnectJitter(1.5).build());
        assertThrows(IllegalArgumentException.class,
                () -> ok.toBuilder().maxReplyFrameBytes(70_000).build());
        assertThrows(IllegalArgumentException.class, () -> ok.toBuilder().name("bad name").build());
        assertThrows(IllegalArgumentException.class,
                () -> ok.toBuilder().requestTimeout(Duration.ZERO).build());
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheMax() {
        Vertx vertx = Vertx.vertx();
        try {
            HsmPool pool = new HsmPool(vertx, HsmPoolConfig.builder().host("127.0.0.1:1")
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))
                    .reconnectJitter(0.2).build());
            for (int attempt = 0; attempt < 40; attempt++) {
                long base = Math.min(5000, 100L << Math.min(attempt, 20));
                for (int i = 0; i < 20; i++) {
                    long d = pool.backoffMillis(attempt);
                    assertTrue(d <= base && d >= (long) (base * 0.8) - 1, attempt + ": " + d);
                }
            }
            assertEquals("0000", pool.encodeHeader(0));
            assertEquals("00ZZ", pool.encodeHeader(36 * 36 - 1));
            assertEquals("ZZZZ", pool.encodeHeader(36L * 36 * 36 * 36 - 1));
        } finally {
            vertx.close();
        }
    }

    @Test
    void tagsAreBounded() {
        assertEquals("A0", HsmPool.commandTag("A0002U".getBytes()));
        assertEquals("invalid", HsmPool.commandTag(new byte[] {0x01, 'A'}));
        assertEquals("00", HsmPool.errorCode("A100UABC".getBytes()));
        assertEquals("15", HsmPool.errorCode("A115".getBytes()));
        assertEquals("invalid", HsmPool.errorCode("A1".getBytes()));
        assertEquals("invalid", HsmPool.errorCode("A1x5".getBytes()));
    }
}
