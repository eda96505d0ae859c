package dev.posgate.gateway.tms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.protocol.tms.download.SoftSeal;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.H1Response;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import dev.posgate.protocol.tms.handshake.TerminalHandshake;
import java.time.LocalDateTime;

/** A handshake done byte by byte on a raw socket, so a test can then send exactly what it wants. */
record RawSession(SoftSeal seal) {
    static RawSession handshake(TerminalConnection c, TmsFixture.Device d) throws Exception {
        TerminalHandshake hs = new TerminalHandshake(new H1Request(d.identity().vendor(), d.identity().model(),
                d.identity().serial(), 2, new StampedRandom(RandomSource.secure().next(4), LocalDateTime.now())));
        TmsMessage r1 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false), hs.h1().toTlvs()).pack()));
        assertEquals("00", r1.header().status());
        var h2 = hs.onH1(H1Response.from(r1), dwk1 -> d.pinPad().decrypt(0, KeyRole.DMK, dwk1));
        TmsMessage r2 = TmsMessage.unpack(c.exchange(TmsMessage.of(TmsHeader.request(TmsCode.H2, 2, false), h2.toTlvs()).pack()));
        assertEquals("00", r2.header().status());
        // version 2 offered: the TMS's mode decides (01: the DWK for both roles; 03: the session TAK and DEK)
        return new RawSession(new SoftSeal(hs.dataKey(), hs.macKey(), RandomSource.secure(), hs.session()));
    }
}
