package dev.posgate.protocol.kms;

import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the terminal side of the K- and L-flows shares: the step it is at, request numbering
 * (seq), and refusals. Any refusal, from the gateway's status or a local check, fails the
 * session for good.
 *
 * @param <S> the flow's steps
 */
public abstract class TerminalFlow<S extends Enum<S>> {
    /**
     * Seqs come from one counter for the terminal (this process), not one per flow: the gateway
     * refuses a seq repeated on a connection ({@code 94}), and a terminal may run several flows on
     * one link (K1, then K2-K4, then L1-L3), each of which used to count from 1.
     */
    private static final AtomicLong SEQS = new AtomicLong();

    private final String name;
    private final S done;
    private final S failed;
    private S step;

    protected TerminalFlow(String name, S initial, S done, S failed) {
        this.name = name;
        this.step = initial;
        this.done = done;
        this.failed = failed;
    }

    public boolean done() {
        return step == done;
    }

    protected final void advance(S next) {
        step = next;
    }

    protected final void expect(S s) {
        if (step != s) throw new IllegalStateException(name + " is at " + step + ", not " + s);
    }

    protected final TmsMessage request(TmsCode code, List<Tlv> body) {
        return TmsMessage.of(TmsHeader.request(code, SEQS.incrementAndGet() & 0xFFFF_FFFFL, false), body);
    }

    protected final FlowRefusedException fail(String status, String message) {
        step = failed;
        return new FlowRefusedException(status, message);
    }

    /** Fails the session unless the gateway answered {@code 00}. */
    protected final void checkStatus(TmsMessage response) {
        try {
            requireOk(response);
        } catch (FlowRefusedException e) {
            step = failed;
            throw e;
        }
    }

    /** Throws unless {@code response} has status {@code 00}; for answers outside a session (K1). */
    public static void requireOk(TmsMessage response) {
        String status = response.header().status();
        if (!"00".equals(status)) throw new FlowRefusedException(status, response.header().code() + " refused with " + status);
    }
}
