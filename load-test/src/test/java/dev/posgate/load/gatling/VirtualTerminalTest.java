package dev.posgate.load.gatling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.Tpdu;
import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.testing.Sm4Reference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SM4 path of {@link VirtualTerminal} (-Dsm4.share), checked with {@link Sm4Reference}
 * (BouncyCastle's SM4Engine directly): SM4 working keys under the SM4 TMK with SM4 KCVs, the SM4
 * format-0 PIN block in field 63 ({@code SM016} + block, 52 zero-filled), 53.2 = 4, and the
 * UnionPay SM4 POS MAC recomputed step by step (docs/national-crypto.md).
 */
class VirtualTerminalTest {
    @Test
    void anSm4TerminalSignsOnWithSm4KeysAndSendsTheSm4PinBlockAndMac() {
        RandomSource random = RandomSource.secure();
        byte[] tmk = random.next(16);
        byte[] pik = random.next(16);
        byte[] mak = random.next(16);
        VirtualTerminal vt = new VirtualTerminal(7, tmk, KeyAlgorithm.SM4);

        byte[] f62 = WorkingKeyBlock.of(SignOnMode.DOUBLE, KeyAlgorithm.SM4, List.of(
                new WorkingKeyBlock.Entry(Sm4Reference.ecbEncrypt(tmk, pik), Arrays.copyOf(Sm4Reference.ecbEncrypt(pik, new byte[16]), 4)),
                new WorkingKeyBlock.Entry(Sm4Reference.ecbEncrypt(tmk, mak), Arrays.copyOf(Sm4Reference.ecbEncrypt(mak, new byte[16]), 4)))).encode();
        PosMessage badKcv = reply(WorkingKeyBlock.of(SignOnMode.DOUBLE, KeyAlgorithm.SM4, List.of(
                new WorkingKeyBlock.Entry(Sm4Reference.ecbEncrypt(tmk, pik), new byte[4]),
                new WorkingKeyBlock.Entry(Sm4Reference.ecbEncrypt(tmk, mak), Arrays.copyOf(Sm4Reference.ecbEncrypt(mak, new byte[16]), 4)))).encode());
        assertThrows(IllegalStateException.class, () -> vt.acceptSignOn(badKcv));
        vt.acceptSignOn(reply(f62));

        byte[] body = vt.purchase(100);
        PosMessage m = PosMessage.unpack(body);
        assertEquals("2400000000000000", m.field(53), "53.2 = 4 for SM4");
        assertArrayEquals(new byte[8], m.binary(52));
        byte[] f63 = m.binary(63);
        assertEquals("SM016", new String(f63, 0, 5, StandardCharsets.US_ASCII));
        byte[] clear = Sm4Reference.ecbDecrypt(pik, Arrays.copyOfRange(f63, 5, 21));
        assertArrayEquals(Sm4Reference.pinBlock(VirtualTerminal.PIN, VirtualTerminal.PAN), clear, "SM4 PIN block format 0");

        assertArrayEquals(Sm4Reference.unionPayMac(mak, MacBlock.of(body)), MacBlock.mac(body), "UnionPay SM4 POS MAC");
    }

    private static PosMessage reply(byte[] f62) {
        PosMessage m = PosMessage.create(new Tpdu(0x0000, 0x0003), AppHeader.parse("603100310301"), "0810");
        m.set(11, "000001").set(39, "00").set(62, f62);
        return PosMessage.unpack(m.pack());
    }
}
