package dev.posgate.load.gatling;

import dev.posgate.crypto.Digests;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TMS side of a download wave, provisioned through the admin API before the run (docs/tms.md):
 * {@code terminals} terminals registered, each with its DMK formed from
 * {@link TmsTerminal#DMK_COMPONENTS} (DMK ceremony), all in group {@code wave}; one package of
 * {@code packageBytes} pseudo-random bytes published and targeted at the group. Virtual users take
 * the terminals in turn with {@link #nextTerminal()}.
 */
final class TmsFleet {
    static final String GROUP = "wave";
    static final String PACKAGE = "app";

    private final int terminals;
    private final byte[] sha256;
    private final int frameLength;
    private final AtomicInteger handedOut = new AtomicInteger();

    private TmsFleet(int terminals, byte[] sha256, int frameLength) {
        this.terminals = terminals;
        this.sha256 = sha256;
        this.frameLength = frameLength;
    }

    static TmsFleet provision(AdminClient admin, int terminals, int packageBytes, int frameLength) {
        for (int i = 1; i <= terminals; i++) {
            String sn = TmsTerminal.sn(i);
            admin.registerTerminal(TmsTerminal.tid(i), sn, TmsTerminal.VENDOR, TmsTerminal.MODEL);
            admin.provisionDmk(sn, TmsTerminal.DMK_COMPONENTS);
            admin.addToGroup(sn, GROUP);
        }
        byte[] bytes = new byte[packageBytes];
        new Random(7).nextBytes(bytes);
        long id = admin.publishPackage(TmsTerminal.VENDOR, TmsTerminal.MODEL, PACKAGE, "1.0", bytes);
        admin.target(id, GROUP);
        byte[] sha = Digests.sha256(bytes);
        System.out.println("published " + PACKAGE + " 1.0 (" + packageBytes + " bytes, SHA-256 "
                + HexFormat.of().formatHex(sha) + ") for " + terminals + " terminals in group " + GROUP);
        return new TmsFleet(terminals, sha, frameLength);
    }

    TmsTerminal nextTerminal() {
        int n = handedOut.incrementAndGet();
        if (n > terminals) throw new IllegalStateException("only " + terminals + " terminals provisioned");
        return new TmsTerminal(TmsTerminal.sn(n), PACKAGE, sha256, frameLength);
    }
}
