package dev.posgate.gateway.fault;

import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Steady load while a fault is injected: one thread per signed-on terminal sends, one request at
 * a time as a terminal does, purchases with a PIN, an echo every fifth request and, when asked, a
 * sign-on every {@code signOnEvery}-th. Every request is recorded with its answer (or as lost when
 * none came within {@code answerTimeout}); a terminal that lost an answer stops, since its STAN
 * state could no longer be trusted.
 */
final class TerminalLoad implements AutoCloseable {
    static final String PAN = "6222021234567890123";
    static final String LOST = "lost";

    enum Kind { PURCHASE, ECHO, SIGN_ON }

    /** One request: {@code code} is field 39 of the answer, {@link #LOST} when none came. */
    record Outcome(String tid, Kind kind, String stan, long amount, String code, Boolean macValid, long sentNanos,
            long answeredNanos) {
        long latencyMs() {
            return (answeredNanos - sentNanos) / 1_000_000;
        }

        boolean sentAfter(long nanos) {
            return sentNanos >= nanos;
        }

        boolean answeredBefore(long nanos) {
            return answeredNanos <= nanos;
        }
    }

    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final Duration answerTimeout;
    private final int signOnEvery;
    private volatile boolean running = true;

    private TerminalLoad(Duration answerTimeout, int signOnEvery) {
        this.answerTimeout = answerTimeout;
        this.signOnEvery = signOnEvery;
    }

    /** Starts one sender per terminal, each pausing {@code pauseMs} between requests. */
    static TerminalLoad start(List<PosClient> terminals, List<String> tids, long pauseMs, int signOnEvery,
            Duration answerTimeout) {
        TerminalLoad load = new TerminalLoad(answerTimeout, signOnEvery);
        for (int i = 0; i < terminals.size(); i++) {
            PosClient pos = terminals.get(i);
            String tid = tids.get(i);
            Thread t = new Thread(() -> load.drive(pos, tid, pauseMs), "load-" + tid);
            t.setDaemon(true);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    private void drive(PosClient pos, String tid, long pauseMs) {
        for (int i = 1; running; i++) {
            Kind kind = signOnEvery > 0 && i % signOnEvery == 0 ? Kind.SIGN_ON : i % 5 == 0 ? Kind.ECHO : Kind.PURCHASE;
            // 100.00-599.00 minor units: never an amount the host simulator leaves unanswered (…999)
            long amount = kind == Kind.PURCHASE ? 10_000 + (i % 500) * 100L : 0;
            String stan = pos.nextStan();
            long sent = System.nanoTime();
            Outcome o;
            try {
                o = switch (kind) {
                    case PURCHASE -> {
                        PosClient.Reply r = await(pos.send(pos.purchase(PAN, amount, "123456")));
                        yield new Outcome(tid, kind, stan, amount, r.code(), r.macValid(), sent, System.nanoTime());
                    }
                    case ECHO -> {
                        PosClient.Reply r = await(pos.echo());
                        yield new Outcome(tid, kind, stan, 0, r.code(), r.macValid(), sent, System.nanoTime());
                    }
                    case SIGN_ON -> {
                        PosClient.SignOnResult r = await(pos.signOn(SignOnMode.DOUBLE));
                        yield new Outcome(tid, kind, stan, 0, r.code(), r.keysAccepted(), sent, System.nanoTime());
                    }
                };
            } catch (Exception e) {
                outcomes.add(new Outcome(tid, kind, stan, amount, LOST, null, sent, System.nanoTime()));
                return;
            }
            outcomes.add(o);
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Outcome> outcomes() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }

    List<Outcome> outcomes(Predicate<Outcome> filter) {
        return outcomes().stream().filter(filter).toList();
    }

    /**
     * Waits until the terminals were answered every kind of request sent after {@code nanos}
     * (what {@link Ledger.FaultWindow} needs to judge a fault), at least {@code count} of each.
     */
    void awaitEveryKindSentAfter(String what, int count, long nanos) throws InterruptedException {
        Eventually.until(what, () -> Arrays.stream(Kind.values()).allMatch(k ->
                outcomes(o -> o.kind() == k && o.sentAfter(nanos)).size() >= count));
    }

    /**
     * Waits until {@code count} purchases sent after {@code nanos} were approved and returns them in
     * the order they were answered: the fault tests pace themselves by what the terminals saw, not
     * by the clock (a loaded machine answers slower).
     */
    List<Outcome> awaitApprovals(String what, int count, long nanos) throws InterruptedException {
        return Eventually.value(what,
                () -> outcomes(o -> o.kind() == Kind.PURCHASE && o.sentAfter(nanos) && "00".equals(o.code())),
                approved -> approved.size() >= count);
    }

    /** The first purchase sent after {@code nanos} that was approved (waited for). */
    Outcome firstApprovalSentAfter(long nanos) throws InterruptedException {
        return awaitApprovals("a purchase sent after the fault is approved", 1, nanos).get(0);
    }

    /** Stops sending and waits for each terminal's last answer. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread t : threads) t.join(answerTimeout.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
