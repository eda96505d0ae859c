package dev.posgate.protocol.loader;

import dev.posgate.protocol.kms.FlowRefusedException;
import dev.posgate.protocol.kms.KmsHostSession;

/**
 * The loader side of one connection's L-flow without I/O: L2 only after L1, L3 only after L2 for
 * the same serial and slot ({@code 12} otherwise). No locks: the gateway confines a connection's
 * state to its event loop.
 */
public final class LoaderHostSession {
    private String helloSn;
    private KmsHostSession.Issued issued;

    public void hello(String sn) {
        helloSn = sn;
        issued = null;
    }

    /** L2: the serial that said L1 on this connection must be the one asking. */
    public void requireHello(String sn) {
        if (helloSn == null || !helloSn.equals(sn)) throw new FlowRefusedException("12", "L2 without L1 on this connection");
    }

    public void issued(KmsHostSession.Issued i) {
        issued = i;
    }

    public KmsHostSession.Issued takeIssued(String sn, int keyIndex) {
        KmsHostSession.Issued i = issued;
        if (i == null || !i.sn().equals(sn) || i.keyIndex() != keyIndex) {
            throw new FlowRefusedException("12", "L3 without L2 on this connection");
        }
        issued = null;
        return i;
    }
}
