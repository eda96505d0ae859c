package dev.posgate.gateway.tms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.download.PackageEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13: what an authenticated or unauthenticated TMS peer can make the gateway and its HSM do, over real TCP. */
class TmsBoundsIT {
    static TmsFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = TmsFixture.start();
        fx.targetEveryone(fx.publish(TmsFixture.VENDOR, "bounds-app", "1.0.0", new byte[4096]));
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /**
     * A D1 listing 400 packages seals to about 42 KB: opening it (Z2) gave an HSM reply over the
     * pool's 32 KiB cap, which dropped the HSM connection with every command in flight on it. It is
     * refused ({@code 30}) before it reaches the HSM, and the session goes on.
     */
    @Test
    void anOversizedSealedD1IsRefusedBeforeItReachesTheHsm() throws Exception {
        TmsFixture.Device d = fx.device();
        try (TerminalConnection raw = fx.gateway.connect()) {
            RawSession s = RawSession.handshake(raw, d);
            List<PackageEntry> installed = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                installed.add(new PackageEntry(PackageEntry.APPLICATION, String.format("pkg-%028d", i), "1.0.0-0123456789",
                        1024, new byte[32]));
            }
            byte[] body = s.seal().seal(List.of(PackageEntry.list(installed)));
            assertEquals(true, body.length > 40_000, "sealed D1 of " + body.length + " bytes");
            TmsMessage r = TmsMessage.unpack(raw.exchange(TmsMessage.sealed(TmsHeader.request(TmsCode.D1, 3, true), body).pack()));
            assertEquals("30", r.header().status());

            byte[] small = s.seal().seal(List.of(PackageEntry.list(installed.subList(0, 3))));
            TmsMessage ok = TmsMessage.unpack(raw.exchange(TmsMessage.sealed(TmsHeader.request(TmsCode.D1, 4, true), small).pack()));
            assertEquals("00", ok.header().status(), "the session goes on");
        }
    }
}
