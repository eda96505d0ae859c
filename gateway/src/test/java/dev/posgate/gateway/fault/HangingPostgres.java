package dev.posgate.gateway.fault;

import static dev.posgate.testing.Eventually.await;

import io.vertx.core.Vertx;

/**
 * A PostgreSQL of its own reached through a {@link FreezingProxy}: {@link #hang()} keeps the
 * connections open while nothing crosses them, as a hung server or a silent network would.
 */
final class HangingPostgres implements AutoCloseable {
    private final Vertx vertx;
    private final StoppablePostgres pg;
    private final FreezingProxy proxy;

    private HangingPostgres(Vertx vertx, StoppablePostgres pg, FreezingProxy proxy) {
        this.vertx = vertx;
        this.pg = pg;
        this.proxy = proxy;
    }

    static HangingPostgres start() throws Exception {
        StoppablePostgres pg = StoppablePostgres.start();
        Vertx vertx = Vertx.vertx();
        return new HangingPostgres(vertx, pg, await(FreezingProxy.start(vertx, pg.port())));
    }

    /** The gateway's db.url, through the proxy. */
    String url() {
        return "postgresql://postgres@localhost:" + proxy.port() + "/postgres";
    }

    /** The next {@code n} connection attempts are closed at once. */
    void dropNextConnections(int n) {
        proxy.dropNext(n);
    }

    int droppedConnections() {
        return proxy.dropped();
    }

    void hang() {
        proxy.freeze();
    }

    void resume() {
        proxy.thaw();
    }

    @Override
    public void close() throws Exception {
        proxy.thaw();
        await(proxy.close());
        await(vertx.close());
        pg.close();
    }
}
