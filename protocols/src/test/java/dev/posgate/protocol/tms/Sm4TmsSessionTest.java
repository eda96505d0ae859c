package dev.posgate.protocol.tms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.download.FrameRequest;
import dev.posgate.protocol.tms.download.SoftSeal;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.H1Response;
import dev.posgate.protocol.tms.handshake.H2Request;
import dev.posgate.protocol.tms.handshake.H2Response;
import dev.posgate.protocol.tms.handshake.HostSession;
import dev.posgate.protocol.tms.handshake.KeyMessageEntry;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import dev.posgate.protocol.tms.handshake.TerminalHandshake;
import dev.posgate.testing.Sm4Reference;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * Both sides of an SM4 TMS session with the cipher family as a parameter; the host's half is
 * computed here with BouncyCastle's SM4Engine and CBCBlockCipherMac, not the project's wrappers.
 */
class Sm4TmsSessionTest {
    private static final RandomSource RANDOM = RandomSource.secure();

    /** CBC-MAC, zero IV, zero padding (BouncyCastle's default padding), leftmost 4 bytes. */
    private static byte[] bcTac(byte[] key, byte[] data) {
        CBCBlockCipherMac m = new CBCBlockCipherMac(new SM4Engine(), 32);
        m.init(new KeyParameter(key));
        m.update(data, 0, data.length);
        byte[] out = new byte[4];
        m.doFinal(out, 0);
        return out;
    }

    private static TmsMessage message(List<dev.posgate.iso8583.tlv.Tlv> tlvs) {
        return TmsMessage.unpack(TmsMessage.of(TmsHeader.request(TmsCode.H1, 1, false), tlvs).pack());
    }

    private static H1Request h1() {
        return new H1Request("ACME", "P90", "SN-1", 1, new StampedRandom(RANDOM.next(4), LocalDateTime.now()));
    }

    @Test
    void sm4HandshakeAndKeyMessageAgainstAnIndependentHost() {
        byte[] dmk = RANDOM.next(16);
        byte[] dwk = RANDOM.next(16);
        byte[] tmk = RANDOM.next(16);
        TerminalHandshake hs = new TerminalHandshake(h1(), TmsCipher.SM4);
        StampedRandom sData = new StampedRandom(RANDOM.next(4), LocalDateTime.now());
        H1Response answer = new H1Response(sData, bcTac(dwk, hs.h1().tData().encode()), Sm4Reference.ecbEncrypt(dmk, dwk), TmsCipher.SM4);
        H1Response parsed = H1Response.from(message(answer.toTlvs()));
        assertEquals(TmsCipher.SM4, parsed.cipher());

        H2Request h2 = hs.onH1(parsed, c -> Sm4Reference.ecbDecrypt(dmk, c));
        assertTrue(h2.tacMatched());
        assertArrayEquals(bcTac(dwk, sData.encode()), h2.sac());
        assertArrayEquals(dwk, hs.dwk());

        byte[] kcv = Arrays.copyOf(Sm4Reference.ecbEncrypt(tmk, new byte[16]), 4);
        List<TerminalHandshake.RecoveredKey> keys = hs.onH2(new H2Response(List.of(
                new KeyMessageEntry(KeyMessageEntry.KIND_TMK, 1, Sm4Reference.ecbEncrypt(dwk, tmk), kcv))));
        assertArrayEquals(tmk, keys.get(0).clearKey());

        byte[] badKcv = kcv.clone();
        badKcv[0] ^= 1;
        assertThrows(SecurityException.class, () -> hs.onH2(new H2Response(List.of(
                new KeyMessageEntry(KeyMessageEntry.KIND_TMK, 1, Sm4Reference.ecbEncrypt(dwk, tmk), badKcv)))));
    }

    @Test
    void anAnswerOfTheOtherFamilyIsATacMismatch() {
        byte[] dmk = RANDOM.next(16);
        byte[] dwk = RANDOM.next(16);
        TerminalHandshake hs = new TerminalHandshake(h1(), TmsCipher.SM4);
        StampedRandom sData = new StampedRandom(RANDOM.next(4), LocalDateTime.now());
        // right SM4 TAC, but the TMS says TDES-ECB (DF15 = 01): refused
        H1Response tdes = new H1Response(sData, bcTac(dwk, hs.h1().tData().encode()), Sm4Reference.ecbEncrypt(dmk, dwk), TmsCipher.TDES);
        assertFalse(hs.onH1(H1Response.from(message(tdes.toTlvs())), c -> Sm4Reference.ecbDecrypt(dmk, c)).tacMatched());
    }

    @Test
    void aTdesTerminalKeepsTheSeedsLayout() {
        H1Response r = new H1Response(new StampedRandom(new byte[4], LocalDateTime.now()), new byte[4], new byte[16]);
        assertEquals(TmsCipher.TDES, H1Response.from(message(r.toTlvs())).cipher());
        assertEquals(0x01, TmsCipher.TDES.workKeyMode());
        assertEquals(0x02, TmsCipher.SM4.workKeyMode());
    }

    @Test
    void sm4SealedBodyIsIvSm4CbcAndCbcMacOfMethod2PaddedTlvs() {
        byte[] dwk = RANDOM.next(16);
        byte[] iv = RANDOM.next(16);
        SoftSeal seal = new SoftSeal(dwk, n -> iv.clone(), TmsCipher.SM4);
        FrameRequest req = new FrameRequest("app", "1.0", 16, 512);
        byte[] body = seal.seal(req.toTlvs());

        // independent: pad 80 00.. to 16, SM4-CBC with BouncyCastle, CBC-MAC over IV ‖ C
        byte[] tlv = BerTlv.encode(req.toTlvs());
        byte[] plain = Arrays.copyOf(tlv, (tlv.length / 16 + 1) * 16);
        plain[tlv.length] = (byte) 0x80;
        CBCBlockCipher cbc = (CBCBlockCipher) CBCBlockCipher.newInstance(new SM4Engine());
        cbc.init(true, new ParametersWithIV(new KeyParameter(dwk), iv));
        byte[] ct = new byte[plain.length];
        for (int i = 0; i < plain.length; i += 16) cbc.processBlock(plain, i, ct, i);
        CBCBlockCipherMac mac = new CBCBlockCipherMac(new SM4Engine(), 128);
        mac.init(new KeyParameter(dwk));
        mac.update(iv, 0, 16);
        mac.update(ct, 0, ct.length);
        byte[] m = new byte[16];
        mac.doFinal(m, 0);

        assertEquals(16 + ct.length + 16, body.length);
        assertArrayEquals(iv, Arrays.copyOf(body, 16));
        assertArrayEquals(ct, Arrays.copyOfRange(body, 16, 16 + ct.length));
        assertArrayEquals(m, Arrays.copyOfRange(body, body.length - 16, body.length));
        assertEquals(req, FrameRequest.from(seal.open(body)));

        byte[] tampered = body.clone();
        tampered[20] ^= 1;
        assertThrows(SoftSeal.BadSealException.class, () -> seal.open(tampered));
        // a TDES session cannot open it, nor an SM4 session under another key
        assertThrows(SoftSeal.BadSealException.class, () -> new SoftSeal(dwk, RANDOM).open(body));
        assertThrows(SoftSeal.BadSealException.class, () -> new SoftSeal(RANDOM.next(16), RANDOM, TmsCipher.SM4).open(body));
    }

    @Test
    void theHostSessionRemembersTheFamily() {
        HostSession<String, String> s = new HostSession<>();
        assertEquals(TmsCipher.TDES, s.cipher());
        s.challenged("SN", "t", "dwk", new StampedRandom(new byte[4], LocalDateTime.now()), TmsCipher.SM4);
        assertEquals(TmsCipher.SM4, s.cipher());
        assertTrue(s.admits(TmsCode.H2));
    }
}
