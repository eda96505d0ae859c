package dev.posgate.protocol.kms;

import java.util.Arrays;

/**
 * The KMS side of one connection's K-flow, as a state machine without I/O: what K2 established
 * (the transmission key under the host's key handle {@code K} and Rnd2) and what K3 issued (the
 * pending TMK), so that K3 is refused without K2 and K4 without K3 ({@code 12}). The gateway keeps
 * one per connection and does the HSM and database work around it. No locks: the gateway confines
 * a connection's state to its event loop.
 */
public final class KmsHostSession<K> {
    /** After K2: the terminal's TEK and AUK (host handles) and the Rnd2 it must return under AUK. */
    public record Started<K>(String sn, int keyIndex, K tek, K auk, byte[] rnd2) {}

    /** After K3: the TMK issued for the slot, waiting for K4 with its KCV. */
    public record Issued(String sn, int keyIndex, long pendingKeyId, byte[] kcv) {}

    private Started<K> started;
    private Issued issued;

    public void started(Started<K> s) {
        started = s;
        issued = null;
    }

    /** K3: the K2 state for {@code sn}, consumed (one K3 per K2, so a replayed K3 gets 12). */
    public Started<K> takeStarted(String sn) {
        Started<K> s = started;
        if (s == null || !s.sn().equals(sn)) throw new FlowRefusedException("12", "K3 without K2 on this connection");
        started = null;
        return s;
    }

    public void issued(Issued i) {
        issued = i;
    }

    /** K4: the TMK issued by K3 for this serial and slot, consumed. */
    public Issued takeIssued(String sn, int keyIndex) {
        Issued i = issued;
        if (i == null || !i.sn().equals(sn) || i.keyIndex() != keyIndex) {
            throw new FlowRefusedException("12", "K4 without K3 on this connection");
        }
        issued = null;
        return i;
    }

    /** True when the terminal's KCV is the one the KMS stored. */
    public static boolean kcvMatches(Issued issued, byte[] kcv) {
        return java.security.MessageDigest.isEqual(issued.kcv(), kcv);
    }

    public void reset() {
        if (started != null) Arrays.fill(started.rnd2(), (byte) 0);
        started = null;
        issued = null;
    }
}
