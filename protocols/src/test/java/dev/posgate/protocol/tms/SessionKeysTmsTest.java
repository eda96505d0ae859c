package dev.posgate.protocol.tms;

import static dev.posgate.testing.TdesReference.cbcMac4;
import static dev.posgate.testing.TdesReference.ecbDecrypt;
import static dev.posgate.testing.TdesReference.ecbEncrypt;
import static dev.posgate.testing.TdesReference.x919;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.download.FrameRequest;
import dev.posgate.protocol.tms.download.SoftSeal;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.H1Response;
import dev.posgate.protocol.tms.handshake.H2Request;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import dev.posgate.protocol.tms.handshake.TerminalHandshake;
import java.time.LocalDateTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * TMS protocol version 2 (work-key mode 03, docs/tms.md "Session keys"), terminal side: the host's
 * half is computed here with BouncyCastle's DESede, CBC-MAC and X9.19 engines ({@link dev.posgate.testing.TdesReference}).
 */
class SessionKeysTmsTest {
    private static final RandomSource RANDOM = RandomSource.secure();

    private record Host(byte[] dmk, byte[] dwk, byte[] tak, byte[] dek, H1Response answer) {}

    private static Host host(H1Request h1) {
        byte[] dmk = Parity.adjustOdd(RANDOM.next(16));
        byte[] dwk = Parity.adjustOdd(RANDOM.next(16));
        byte[] tak = Parity.adjustOdd(RANDOM.next(16));
        byte[] dek = Parity.adjustOdd(RANDOM.next(16));
        StampedRandom sData = new StampedRandom(RANDOM.next(4), LocalDateTime.now());
        H1Response r = new H1Response(sData, cbcMac4(tak, h1.tData().encode()), ecbEncrypt(dmk, dwk), TmsCipher.TDES_SESSION_KEYS,
                ecbEncrypt(dwk, tak), ecbEncrypt(dwk, dek));
        return new Host(dmk, dwk, tak, dek, r);
    }

    private static H1Request h1(int version) {
        return new H1Request("ACME", "P90", "SN-2", version, new StampedRandom(RANDOM.next(4), LocalDateTime.now()));
    }

    @Test
    void aVersionTwoTerminalUnwrapsTheSessionKeysAndMacsUnderTheTak() {
        TerminalHandshake hs = new TerminalHandshake(h1(2));
        Host host = host(hs.h1());
        // through the wire form: DF15 = 03 with DF18 and DF19
        TmsMessage wire = TmsMessage.unpack(TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false).response("00"),
                host.answer().toTlvs()).pack());
        assertEquals(0x03, wire.require(Tags.WORK_KEY_MODE).asByte());
        H2Request h2 = hs.onH1(H1Response.from(wire), c -> ecbDecrypt(host.dmk(), c));
        assertTrue(hs.tacMatched());
        assertEquals(TmsCipher.TDES_SESSION_KEYS, hs.session());
        assertArrayEquals(host.tak(), hs.macKey());
        assertArrayEquals(host.dek(), hs.dataKey());
        assertArrayEquals(cbcMac4(host.tak(), host.answer().sData().encode()), h2.sac(), "SAC_1 under the TAK");

        // a body sealed by the terminal: IV ‖ TDES-CBC(DEK) ‖ X9.19(TAK, IV ‖ C)
        SoftSeal seal = new SoftSeal(hs.dataKey(), hs.macKey(), RANDOM, hs.session());
        byte[] body = seal.seal(new FrameRequest("app", "1", 0, 100).toTlvs());
        byte[] mac = x919(host.tak(), Arrays.copyOf(body, body.length - 8));
        assertArrayEquals(mac, Arrays.copyOfRange(body, body.length - 8, body.length));
        assertEquals(new FrameRequest("app", "1", 0, 100), FrameRequest.from(seal.open(body)));
        // the same body sealed under the DWK alone does not open
        byte[] underDwk = new SoftSeal(host.dwk(), RANDOM, TmsCipher.TDES).seal(new FrameRequest("app", "1", 0, 100).toTlvs());
        assertThrows(SoftSeal.BadSealException.class, () -> seal.open(underDwk));
    }

    @Test
    void aTerminalThatOfferedVersionOneTakesModeThreeAsATacMismatch() {
        TerminalHandshake hs = new TerminalHandshake(h1(1));
        Host host = host(hs.h1());
        hs.onH1(host.answer(), c -> ecbDecrypt(host.dmk(), c));
        assertFalse(hs.tacMatched());
    }

    @Test
    void modeThreeCarriesTheSessionKeysAndOnlyIt() {
        StampedRandom s = new StampedRandom(RANDOM.next(4), LocalDateTime.now());
        assertThrows(IllegalArgumentException.class, () -> new H1Response(s, new byte[4], new byte[16], TmsCipher.TDES_SESSION_KEYS));
        assertThrows(IllegalArgumentException.class,
                () -> new H1Response(s, new byte[4], new byte[16], TmsCipher.TDES, new byte[16], new byte[16]));
    }
}
