package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {

    @Test
    void capsTotalAndPerIp() {
        ConnectionGuard g = new ConnectionGuard(3, 2);
        assertNull(g.tryAdmit("10.0.0.1"));
        assertNull(g.tryAdmit("10.0.0.1"));
        assertEquals("ip_cap", g.tryAdmit("10.0.0.1"));
        assertNull(g.tryAdmit("10.0.0.2"));
        assertEquals("total_cap", g.tryAdmit("10.0.0.3"));
        g.release("10.0.0.1");
        assertNull(g.tryAdmit("10.0.0.3"));
        assertEquals(3, g.total());
    }

    @Test
    void drainingRefusesEverything() {
        ConnectionGuard g = new ConnectionGuard(10, 10);
        g.startDraining();
        assertEquals("draining", g.tryAdmit("10.0.0.1"));
        assertEquals(0, g.total());
    }

    @Test
    void concurrentAdmitAndReleaseKeepExactCounts() throws Exception {
        ConnectionGuard g = new ConnectionGuard(1_000_000, 1_000_000);
        int threads = 4;
        int rounds = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < rounds; i++) {
                    if (g.tryAdmit("10.0.0.9") != null) refused.incrementAndGet();
                    else g.release("10.0.0.9");
                }
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) th.join();
        assertEquals(0, refused.get());
        assertEquals(0, g.total());
        // a leaked per-IP count would now refuse the 2nd connection under a cap of 2
        ConnectionGuard small = new ConnectionGuard(10, 2);
        assertNull(small.tryAdmit("a"));
        small.release("a");
        assertNull(small.tryAdmit("a"));
        assertNull(small.tryAdmit("a"));
    }
}
