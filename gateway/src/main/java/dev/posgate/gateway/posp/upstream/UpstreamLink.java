package dev.posgate.gateway.posp.upstream;

import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.link.Backoff;
import dev.posgate.link.HostAndPort;
import dev.posgate.link.LinkFailures;
import dev.posgate.link.LinkPool;
import dev.posgate.link.LinkPoolOptions;
import dev.posgate.link.LinkProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent ISO8583 link to the upstream host: the {@link LinkPool} core over several TCP
 * connections (same 2-byte length framing as terminals), requests on the least-loaded connection
 * that is up, replies matched by terminal id + STAN + request MTI (any connection may carry the
 * reply), each request with its own timeout, reconnect with exponential backoff. {@code
 * upstream.host} may be {@code host:port} or {@code [ipv6]:port}. Futures complete on the caller's
 * context.
 */
public final class UpstreamLink {
    private static final Logger log = LoggerFactory.getLogger(UpstreamLink.class);
    /** Bounded in practice by the sessions' in-flight caps; the link itself only stops runaways. */
    private static final int MAX_IN_FLIGHT_PER_CONNECTION = 4096;

    /** A packed request and the fields its reply is matched by. */
    private record Request(String tid, String stan, String mti, byte[] body) {
        String id() {
            return key(tid, stan, mti);
        }
    }

    private final LinkPool<Request, PosMessage> link;
    private final Duration timeout;
    private final String target;

    public UpstreamLink(Vertx vertx, String hostAndPort, int connections, Duration timeout) {
        HostAndPort host;
        try {
            host = HostAndPort.parse(hostAndPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("upstream.host must be host:port or [ipv6]:port: " + hostAndPort, e);
        }
        this.timeout = timeout;
        this.target = host.toString();
        this.link = new LinkPool<>(vertx, new LinkPoolOptions()
                .name("upstream link to " + host)
                .host(host)
                .connectionsPerHost(connections)
                .maxInFlightPerConnection(MAX_IN_FLIGHT_PER_CONNECTION)
                .connectTimeout(Duration.ofSeconds(2))
                .backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2))
                .lateReplies(Duration.ZERO, 0)
                // connection i on event loop i % loops: a request from a session's loop goes out on that
                // loop's connection; a reply arriving on another connection is handed to its request's loop
                .perEventLoop(true), PROTOCOL)
                .failures(FAILURES);
    }

    /** Opens the connections; succeeds even when the host is down (they keep retrying). */
    public Future<Void> start() {
        return link.start().transform(ar -> {
            log.info("upstream link to {}: {} connections up", target, connectionsUp());
            return Future.<Void>succeededFuture();
        });
    }

    public int connectionsUp() {
        return link.connectionsUp();
    }

    /** Requests sent and neither answered nor timed out yet. */
    public int pending() {
        return link.outstanding();
    }

    /**
     * Sends a packed upstream body and completes, on the caller's context, with the host's reply.
     * {@code tid}/{@code stan}/{@code mti} are the request's fields 41, 11 and MTI.
     */
    public Future<PosMessage> request(String tid, String stan, String mti, byte[] body) {
        return link.request(new Request(tid, stan, mti, body), timeout);
    }

    public Future<Void> close() {
        return link.close();
    }

    private static String key(String tid, String stan, String mti) {
        return tid + '|' + stan + '|' + mti;
    }

    private static final LinkProtocol<Request, PosMessage> PROTOCOL = new LinkProtocol<>() {
        @Override
        public String correlationId(Request request) {
            return request.id();
        }

        @Override
        public boolean repliesOnAnyConnection() {
            return true;
        }

        @Override
        public byte[] encode(Request request, String id) {
            return request.body();
        }

        @Override
        public Reply<PosMessage> decode(byte[] body) {
            if (body.length == 0) {
                return null; // keep-alive
            }
            PosMessage reply;
            try {
                reply = PosMessage.unpack(body);
            } catch (RuntimeException e) {
                log.warn("unparseable upstream reply dropped: {}", e.toString());
                return null;
            }
            String mti = reply.mti();
            String requestMti = mti.substring(0, 2) + (char) (mti.charAt(2) - 1) + mti.charAt(3);
            return new Reply<>(key(reply.field(41), reply.field(11), requestMti), reply);
        }

        @Override
        public int maxReplyLength() {
            return FrameLimits.DEFAULT_MAX_ISO;
        }

        @Override
        public String describe(Request request) {
            return "upstream " + request.mti();
        }
    };

    private static final LinkFailures<Request> FAILURES = new LinkFailures<>() {
        @Override
        public Throwable unavailable(String message) {
            return UpstreamException.unavailable(message);
        }

        @Override
        public Throwable timeout(String message) {
            return UpstreamException.timedOut(message);
        }

        @Override
        public Throwable connectionLost(String message, String connection) {
            // written, then the connection went: the host may have it, so it is reversed like a timeout
            return UpstreamException.timedOut(message);
        }
    };
}
