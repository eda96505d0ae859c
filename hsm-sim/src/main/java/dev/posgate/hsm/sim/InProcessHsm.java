package dev.posgate.hsm.sim;

import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.transport.HsmTransport;
import dev.posgate.hsm.transport.HsmUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link Hsm} calling the simulator's {@link HsmCommandProcessor} directly: the same codec and
 * command code path as over TCP, minus framing and sockets (benchmarks, single-process tools).
 *
 * <p>Without a Vert.x instance every command runs on the caller's thread. With one, RSA
 * commands run on a worker pool as in {@link HsmSimulator}, so an event-loop caller never blocks.
 */
public final class InProcessHsm {
    private InProcessHsm() {
    }

    /** Everything on the caller's thread. */
    public static Hsm create(HsmCommandProcessor processor) {
        return new RemoteHsm(new DirectTransport(processor, null));
    }

    /** RSA commands on a worker pool of {@code workers} threads of {@code vertx}. */
    public static Hsm create(HsmCommandProcessor processor, Vertx vertx, int workers) {
        WorkerExecutor w = vertx.createSharedWorkerExecutor("hsm-inprocess-" + System.identityHashCode(processor),
                workers, 60, TimeUnit.SECONDS);
        return new RemoteHsm(new DirectTransport(processor, w));
    }

    /** The transport behind {@link #create}: request bytes in, reply bytes out. */
    static final class DirectTransport implements HsmTransport {
        private final HsmCommandProcessor processor;
        private final WorkerExecutor worker;
        private volatile boolean closed;

        DirectTransport(HsmCommandProcessor processor, WorkerExecutor worker) {
            this.processor = Objects.requireNonNull(processor, "processor");
            this.worker = worker;
        }

        @Override
        public Future<byte[]> execute(byte[] command) {
            if (closed) {
                return Future.failedFuture(new HsmUnavailableException("in-process HSM closed"));
            }
            if (worker != null && HsmCommandProcessor.isSlow(command)) {
                return worker.executeBlocking(() -> processor.process(command), false);
            }
            return Future.succeededFuture(processor.process(command));
        }

        @Override
        public Future<Void> close() {
            closed = true;
            return worker == null ? Future.succeededFuture() : worker.close();
        }
    }
}
