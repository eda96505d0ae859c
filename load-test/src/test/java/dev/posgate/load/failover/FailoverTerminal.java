package dev.posgate.load.failover;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.load.gatling.VirtualTerminal;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One POS terminal of the failover run, driven by {@link PosClient} over one connection through
 * HAProxy: purchases one after another; a purchase without an answer (connection lost, timeout)
 * leaves a pending reversal that the terminal sends first on its next connection, as a UnionPay
 * terminal does. It keeps its own records (purchases sent, answers, reversals acknowledged) for
 * the reconciliation. Confined to its Vert.x context; the records are read after {@link #stop}
 * completed.
 */
final class FailoverTerminal {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long RECONNECT_DELAY_MS = 200;

    private final Vertx vertx;
    private final Context context;
    private final String tid;
    private final String sn;
    private final int port;
    private final int thinkMs;
    private final FleetMeter meter;
    private final PosClient client;
    private final Promise<Void> finished = Promise.promise();
    private TerminalLink link;
    private volatile boolean stopping;
    private volatile boolean purchaseInFlight;
    private long lostAt;

    /** "tid:batch:stan" → amount of every purchase sent, in order. */
    final Map<String, Long> sent = new LinkedHashMap<>();
    /** "tid:batch:stan" → response code of every purchase answered. */
    final Map<String, String> answered = new LinkedHashMap<>();
    /** "tid:batch:stan" → amount of every purchase answered 00 with a valid MAC. */
    final Map<String, Long> approved = new LinkedHashMap<>();
    /** "tid:batch:stan" of the purchase → response code of its acknowledged 0410. */
    final Map<String, String> reversed = new LinkedHashMap<>();
    int reversalsSent;
    /** Connections opened; volatile: the harness reads it around the kill. */
    volatile int connections;
    int badMacs;
    /** Milliseconds from a lost connection to the next answered purchase, one per loss. */
    final List<Long> resumeMs = new ArrayList<>();

    FailoverTerminal(Vertx vertx, int index, int port, int thinkMs, FleetMeter meter) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.tid = String.format("MN%06d", index);
        this.sn = String.format("MNSN%08d", index);
        this.port = port;
        this.thinkMs = thinkMs;
        this.meter = meter;
        PinPad pinPad = new PinPad();
        pinPad.write(1, KeyRole.TMK, Parity.adjustOdd(KeyComponents.combine(
                HexFormat.of().parseHex(VirtualTerminal.TMK_COMPONENTS[0]),
                HexFormat.of().parseHex(VirtualTerminal.TMK_COMPONENTS[1]))));
        this.client = new PosClient(null, tid, VirtualTerminal.MID, new PinPadKeys(pinPad, 1), false);
    }

    String tid() {
        return tid;
    }

    String sn() {
        return sn;
    }

    /**
     * Connects through HAProxy and signs on (003); fails unless the PIN pad took the keys. A
     * sign-on without an answer is tried again on a new connection (up to 5 times), as a
     * terminal does: a fleet signing on at once queues behind the HSM.
     */
    Future<Void> signOn() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> signOn(5, done));
        return done.future();
    }

    private void signOn(int attempts, Promise<Void> done) {
        TerminalLink.connect(vertx, "127.0.0.1", port, TIMEOUT)
                .compose(l -> {
                    link = l;
                    connections++;
                    client.relink(l);
                    return client.signOn(SignOnMode.DOUBLE);
                })
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result().keysAccepted()) {
                        done.complete();
                    } else if (attempts > 1) {
                        if (link != null) link.close();
                        link = null;
                        vertx.setTimer(500, id -> signOn(attempts - 1, done));
                    } else {
                        done.fail(ar.succeeded() ? new IllegalStateException(tid + " sign-on answered " + ar.result().code())
                                : ar.cause());
                    }
                });
    }

    /** Starts purchasing until {@link #stop}. */
    void start() {
        context.runOnContext(v -> step());
    }

    /** No new purchase; completes once the terminal has no request in flight and no reversal pending. */
    Future<Void> stop() {
        stopping = true;
        return finished.future();
    }

    /** Whether a reversal was still pending when the run ended (the reconciliation counts it as lost). */
    boolean reversalPending() {
        return client.hasPendingReversal();
    }

    /** Whether a purchase is sent and not answered yet (read from the harness thread at the kill). */
    boolean purchaseInFlight() {
        return purchaseInFlight;
    }

    /** Closes the connection. */
    Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> (link == null ? Future.<Void>succeededFuture() : link.close())
                .otherwiseEmpty().onComplete(done));
        return done.future();
    }

    private void step() {
        if (link == null || link.isClosed()) {
            if (stopping && !client.hasPendingReversal()) {
                finished.tryComplete();
                return;
            }
            connect();
        } else if (client.hasPendingReversal()) {
            reverse();
        } else if (stopping) {
            finished.tryComplete();
        } else {
            purchase();
        }
    }

    private void connect() {
        TerminalLink.connect(vertx, "127.0.0.1", port, TIMEOUT).onComplete(ar -> {
            if (ar.succeeded()) {
                link = ar.result();
                connections++;
                client.relink(link);
                step();
            } else {
                vertx.setTimer(RECONNECT_DELAY_MS, id -> step());
            }
        });
    }

    private void purchase() {
        // 100..9999; those ending in 999 are never answered by the host simulator (HostRules): the
        // gateway answers 68 after upstream.timeout.ms (2 s here) and queues its own reversal, also reconciled.
        long amount = 100 + (sent.size() * 37L + tid.hashCode() % 100 + 100) % 9_900;
        PosMessage m = client.purchase(VirtualTerminal.PAN, amount, null);
        String key = tid + ":" + client.batch() + ":" + m.field(11);
        sent.put(key, amount);
        purchaseInFlight = true;
        client.sendReversible(m).onComplete(ar -> {
            purchaseInFlight = false;
            if (ar.succeeded()) {
                PosClient.Reply reply = ar.result();
                answered.put(key, reply.code());
                if (!Boolean.TRUE.equals(reply.macValid())) badMacs++;
                else if ("00".equals(reply.code())) approved.put(key, amount);
                meter.answered();
                if (lostAt != 0) {
                    resumeMs.add((System.nanoTime() - lostAt) / 1_000_000);
                    lostAt = 0;
                }
                vertx.setTimer(Math.max(1, thinkMs), id -> step());
            } else {
                lost();
            }
        });
    }

    private void reverse() {
        PosMessage original = client.pendingReversal();
        String key = tid + ":" + original.field60().batch() + ":" + original.field(11);
        reversalsSent++;
        client.sendPendingReversal().onComplete(ar -> {
            if (ar.succeeded()) {
                reversed.put(key, ar.result().code());
                step();
            } else {
                lost();
            }
        });
    }

    /** No answer: drop the connection (a late answer must not be taken for the next one's) and dial again. */
    private void lost() {
        if (lostAt == 0) lostAt = System.nanoTime();
        TerminalLink l = link;
        link = null;
        if (l != null) l.close();
        vertx.setTimer(RECONNECT_DELAY_MS, id -> step());
    }
}
