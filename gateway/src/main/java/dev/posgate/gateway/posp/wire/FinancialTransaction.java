package dev.posgate.gateway.posp.wire;

import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.gateway.posp.store.TerminalSession;
import dev.posgate.gateway.posp.upstream.TrackProtection;

/**
 * One financial request on its way through {@link FinancialHandler}'s steps: what admission
 * found (the terminal and the keys it is served with), what the steps learn on the way (the
 * opened tracks, the message that left for the host). Only its own chain of futures touches it,
 * one step after another, so its fields need no synchronisation.
 */
final class FinancialTransaction {
    private final TransactionKind kind;
    private final TerminalSession terminal;
    private final PosMessage request;
    private final Field60 f60;
    /** Tracks a terminal sent encrypted, opened for the host; null when it sent none. */
    private TrackProtection.HostTracks tracks;
    /** The host's copy, set just before it leaves: from then on it may have to be reversed. */
    private PosMessage sentUpstream;
    /** What the pre-auth family's check moved in the journal (undone unless approved); null when nothing. */
    private Claim claim;

    /** What accepting an advice applies to its original ({@link TransactionKind#storeAndForward}); null until checked. */
    private Acceptance acceptance;

    /** The effect on {@code originalId} (null: none) and the code when it no longer applies at acceptance. */
    record Acceptance(dev.posgate.gateway.posp.store.TransactionJournal.Effect effect, Long originalId,
            dev.posgate.gateway.spi.ResultCode onRace) {}

    /** A journal row moved by {@link TransactionKind#refusal}: {@code targetId} from {@code from} to {@code to}. */
    record Claim(long targetId, dev.posgate.gateway.posp.store.JournalStatus from, dev.posgate.gateway.posp.store.JournalStatus to) {}

    FinancialTransaction(TransactionKind kind, TerminalSession terminal, PosMessage request, Field60 f60) {
        this.kind = kind;
        this.terminal = terminal;
        this.request = request;
        this.f60 = f60;
    }

    TransactionKind kind() {
        return kind;
    }

    TerminalSession terminal() {
        return terminal;
    }

    PosMessage request() {
        return request;
    }

    String tid() {
        return terminal.tid();
    }

    String batch() {
        return f60.batch();
    }

    String stan() {
        return request.field(11);
    }

    String mti() {
        return request.mti();
    }

    long amount() {
        String a = request.field(4);
        return a == null ? 0 : Long.parseLong(a);
    }

    /** Field 2, else the PAN of track 2 (read from the decrypted track when it came encrypted). */
    String pan() {
        return tracks != null && tracks.pan() != null ? tracks.pan() : request.pan();
    }

    TrackProtection.HostTracks tracks() {
        return tracks;
    }

    void tracksOpened(TrackProtection.HostTracks opened) {
        this.tracks = opened;
    }

    /** True when the terminal's encrypted tracks did not decrypt under its TDK (or it has none). */
    boolean tracksUnreadable() {
        return tracks == TrackProtection.HostTracks.UNREADABLE;
    }

    PosMessage sentUpstream() {
        return sentUpstream;
    }

    void leavingFor(PosMessage up) {
        this.sentUpstream = up;
    }

    Claim claim() {
        return claim;
    }

    void claimed(Claim c) {
        this.claim = c;
    }

    /** Set once the statement accepting an advice committed: the row is final. */
    private boolean adviceAccepted;

    void adviceAccepted() {
        this.adviceAccepted = true;
    }

    boolean isAdviceAccepted() {
        return adviceAccepted;
    }

    Acceptance acceptance() {
        return acceptance;
    }

    void accepting(Acceptance a) {
        this.acceptance = a;
    }

    @Override
    public String toString() {
        return request.mti() + " " + terminal.tid() + "/" + stan();
    }
}
