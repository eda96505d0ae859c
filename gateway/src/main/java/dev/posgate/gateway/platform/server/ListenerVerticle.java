package dev.posgate.gateway.platform.server;

import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.Dispatcher;
import dev.posgate.link.TimeSource;
import dev.posgate.gateway.platform.tls.TlsListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.shareddata.LocalMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.spi.SessionThreadCheck;

/**
 * One terminal listener on one event loop. Several instances share the port (Vert.x
 * distributes accepted connections among them), each owning the sessions it accepted, so
 * session state needs no locks.
 */
public final class ListenerVerticle extends VerticleBase {
    private static final long SWEEP_MS = 1000;

    private final ListenerSettings settings;
    private final Dispatcher dispatcher;
    private final ConnectionGuard guard;
    private final GatewayMetrics metrics;
    private final AtomicLong sessionIds;
    /** Null for the plain listener. */
    private final TlsListener tls;
    private final TimeSource ticker;
    private final SessionThreadCheck threadCheck;
    private final Set<Session> sessions = new HashSet<>();
    /** Shared by every listener instance through Vert.x local shared data; null without a limit. */
    private IpConnectionRate ipRate;
    private NetServer server;
    private long sweepTimer = -1;

    public ListenerVerticle(ListenerSettings settings, Dispatcher dispatcher, ConnectionGuard guard,
            GatewayMetrics metrics, AtomicLong sessionIds) {
        this(settings, dispatcher, guard, metrics, sessionIds, null);
    }

    /** A listener whose connections are TLS ({@code tls} non-null); sessions and dispatch are the same. */
    public ListenerVerticle(ListenerSettings settings, Dispatcher dispatcher, ConnectionGuard guard,
            GatewayMetrics metrics, AtomicLong sessionIds, TlsListener tls) {
        this(settings, dispatcher, guard, metrics, sessionIds, tls, TimeSource.SYSTEM);
    }

    /**
     * With the clock of its rate limits and timeouts: {@code ticker} (tests move it; all listener
     * instances of one Vert.x share the per-IP rate, so they must share the ticker too).
     */
    public ListenerVerticle(ListenerSettings settings, Dispatcher dispatcher, ConnectionGuard guard,
            GatewayMetrics metrics, AtomicLong sessionIds, TlsListener tls, TimeSource ticker) {
        this.ticker = ticker;
        this.tls = tls;
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.guard = guard;
        this.metrics = metrics;
        this.sessionIds = sessionIds;
        this.threadCheck = new SessionThreadCheck(metrics);
    }

    @Override
    public Future<?> start() {
        NetServerOptions options = new NetServerOptions()
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                .setReuseAddress(true)
                .setAcceptBacklog(8192);
        // with TLS, Vert.x hands over the socket once the handshake (and client-auth) has passed
        server = vertx.createNetServer(tls == null ? options : tls.apply(options));
        if (settings.connectionRatePerIp() != null) {
            LocalMap<String, IpConnectionRate> shared = vertx.sharedData().getLocalMap("posgate.listener");
            shared.putIfAbsent("ipConnectionRate", new IpConnectionRate(settings.connectionRatePerIp()));
            ipRate = shared.get("ipConnectionRate");
        }
        server.connectHandler(this::accept);
        sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
        return server.listen(settings.port(), settings.host());
    }

    private void accept(NetSocket socket) {
        String ip = socket.remoteAddress().hostAddress();
        String refused = ipRate != null && !ipRate.admit(ip, ticker.nanos()) ? "ip_rate" : guard.tryAdmit(ip);
        if (refused != null) {
            metrics.connectionRefused(refused);
            socket.close();
            return;
        }
        metrics.connectionOpened();
        // accept runs on this verticle's event loop, which the connection's handlers run on too
        SessionContext context = SessionContext.onCurrentEventLoop(sessionIds.incrementAndGet(), ip, threadCheck);
        Session[] holder = new Session[1];
        Session session = new Session(vertx, socket, context, settings.frameLimits(), dispatcher, metrics,
                settings.maxInflight(), settings.requestRate(), ticker, () -> {
                    if (sessions.remove(holder[0])) {
                        guard.release(ip);
                        metrics.connectionClosed();
                    }
                });
        holder[0] = session;
        sessions.add(session);
        session.start();
    }

    private void sweep() {
        long now = ticker.nanos();
        long idle = settings.idleTimeout().toNanos();
        long frame = settings.frameTimeout().toNanos();
        long firstFrame = settings.firstFrameTimeout().toNanos();
        for (Session s : new ArrayList<>(sessions)) {
            s.sweep(now, idle, frame, firstFrame);
        }
        if (ipRate != null) ipRate.sweep(now);
    }

    /**
     * Stops accepting, lets sessions answer what they have in flight, then closes what is left
     * when the drain timeout passes. Called before undeploy: Vert.x cancels a deployment's
     * timers while undeploying, so the wait cannot live in {@link #stop()}.
     */
    public Future<Void> drain() {
        Promise<Void> done = Promise.promise();
        // server.close() completes on the acceptor thread: hop back to this verticle's event loop,
        // which owns the sessions (and the set of them) and must arm the drain's timer
        context.runOnContext(v -> server.close().onComplete(ar -> context.runOnContext(onLoop -> {
            for (Session s : new ArrayList<>(sessions)) s.drain();
            long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
            vertx.setPeriodic(0, 20, id -> {
                if (sessions.isEmpty() || System.nanoTime() > deadline) {
                    vertx.cancelTimer(id);
                    for (Session s : new ArrayList<>(sessions)) s.close("drain_timeout");
                    done.complete();
                }
            });
        })));
        return done.future();
    }

    @Override
    public Future<?> stop() {
        if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
        for (Session s : new ArrayList<>(sessions)) s.close("shutdown");
        return server.close();
    }
}
