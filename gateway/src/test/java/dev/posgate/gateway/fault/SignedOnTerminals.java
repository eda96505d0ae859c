package dev.posgate.gateway.fault;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.posp.PospFixture;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import java.util.ArrayList;
import java.util.List;

/** Registered TMK terminals, connected and signed on (double-length keys), ready for load. */
record SignedOnTerminals(List<String> tids, List<PosClient> clients) {

    static SignedOnTerminals of(PospFixture world, String prefix, int count) throws Exception {
        List<String> tids = new ArrayList<>();
        List<PosClient> clients = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String tid = String.format("%s%04d", prefix, i);
            PinPad pad = world.registerTmkTerminal(tid, "SN-" + tid);
            PosClient pos = world.tmkClient(tid, pad);
            assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code(), tid + " signs on");
            tids.add(tid);
            clients.add(pos);
        }
        return new SignedOnTerminals(tids, clients);
    }
}
