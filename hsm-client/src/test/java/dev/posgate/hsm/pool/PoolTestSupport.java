package dev.posgate.hsm.pool;

import static org.junit.jupiter.api.Assertions.fail;

import dev.posgate.link.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared set-up: a Vert.x instance, fake servers and pools closed after each test. */
abstract class PoolTestSupport {
    Vertx vertx;
    MeterRegistry registry;
    final List<HsmPool> pools = new ArrayList<>();
    final List<FakeHsmServer> servers = new ArrayList<>();

    @BeforeEach
    void setUpVertx() {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void tearDownVertx() {
        for (HsmPool p : pools) {
            await(p.close());
        }
        for (FakeHsmServer s : servers) {
            s.stop();
        }
        await(vertx.close());
    }

    FakeHsmServer server() {
        FakeHsmServer s = new FakeHsmServer(vertx, 4).start();
        servers.add(s);
        return s;
    }

    /**
     * Test defaults: fast backoff, 1 s request timeout, no periodic health check. The connect
     * timeout stays generous: with the start-up probe it is the window {@code start()} waits for a
     * first connection, which a loaded CI machine can take more than a second to open.
     */
    HsmPoolConfig.Builder config(FakeHsmServer... hosts) {
        HsmPoolConfig.Builder b = HsmPoolConfig.builder()
                // generous: a connect probe that times out on a loaded machine recycles the connection and
                // changes what a test counts; tests of the timeout itself set their own
                .requestTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(3))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .healthCheckInterval(Duration.ZERO);
        for (FakeHsmServer h : hosts) {
            b.host(h.address());
        }
        return b;
    }

    HsmPool pool(HsmPoolConfig config) {
        return pool(config, Ticker.of(vertx));
    }

    HsmPool pool(HsmPoolConfig config, Ticker ticker) {
        HsmPool p = new HsmPool(vertx, config, registry, ticker);
        pools.add(p);
        return p;
    }

    HsmPool started(HsmPoolConfig config) {
        return started(config, Ticker.of(vertx));
    }

    /** A started pool whose timeouts, backoff and health checks follow {@code ticker}. */
    HsmPool started(HsmPoolConfig config, Ticker ticker) {
        HsmPool p = pool(config, ticker);
        await(p.start());
        int all = config.hosts().size() * config.connectionsPerHost();
        awaitCondition(() -> p.connectionsUp() == all, "all connections up");
        return p;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Throwable awaitFailure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return fail("expected a failure");
    }

    /** Polls until {@code c} holds; the 60 s bound only stops a broken test (a loaded machine is slow, never red). */
    static void awaitCondition(BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    double dropped(String reason) {
        Counter c = registry.find(PoolMetrics.DROPPED).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    long requests(String command, String outcome) {
        Timer t = registry.find(PoolMetrics.REQUEST).tag("command", command).tag("outcome", outcome)
                .timer();
        return t == null ? 0 : t.count();
    }

    double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }
}
