package dev.posgate.gateway.fault;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay that can freeze: its connections stay open but nothing crosses them until it
 * thaws, as when a server hangs or the network between drops packets without a reset.
 */
final class FreezingProxy {
    private final NetServer server;
    private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;
    private final AtomicInteger toDrop = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    private FreezingProxy(NetServer server) {
        this.server = server;
    }

    static Future<FreezingProxy> start(Vertx vertx, int targetPort) {
        NetServer server = vertx.createNetServer();
        FreezingProxy proxy = new FreezingProxy(server);
        // One client held by the handler: an unreferenced NetClient is closed, sockets and all, when
        // Vert.x's cleaner collects it, which cut proxied connections at random under GC pressure.
        NetClient targets = vertx.createNetClient();
        server.connectHandler(client -> {
            if (proxy.toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                proxy.dropped.incrementAndGet();
                client.close(); // a connection attempt lost on the way, as a restarting server or a flaky network drops one
                return;
            }
            client.pause();
            targets.connect(targetPort, "127.0.0.1").onSuccess(target -> {
                client.handler(target::write);
                target.handler(client::write);
                client.closeHandler(v -> target.close());
                target.closeHandler(v -> client.close());
                proxy.sockets.add(client);
                proxy.sockets.add(target);
                if (proxy.frozen) target.pause();
                else client.resume();
            }).onFailure(e -> client.close());
        });
        return server.listen(0, "127.0.0.1").map(s -> proxy);
    }

    /** Closes the next {@code n} connections as soon as they are accepted. */
    void dropNext(int n) {
        toDrop.set(n);
    }

    int dropped() {
        return dropped.get();
    }

    int port() {
        return server.actualPort();
    }

    /** Stops reading on every connection (new ones too): bytes wait in the kernel's buffers. */
    void freeze() {
        frozen = true;
        for (NetSocket s : sockets) s.pause();
    }

    void thaw() {
        frozen = false;
        for (NetSocket s : sockets) s.resume();
    }

    Future<Void> close() {
        return server.close();
    }
}
