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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The SM4 path of {@link VirtualTerminal} (-Dsm4.share), checked with BouncyCastle's SM4Engine
 * directly: SM4 working keys under the SM4 TMK with SM4 KCVs, the SM4 format-0 PIN block in field
 * 63 ({@code SM016} + block, 52 zero-filled), 53.2 = 4, and the UnionPay SM4 POS MAC recomputed
 * here step by step (docs/national-crypto.md).
 */
class VirtualTerminalTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void anSm4TerminalSignsOnWithSm4KeysAndSendsTheSm4PinBlockAndMac() {
        RandomSource random = RandomSource.secure();
        byte[] tmk = random.next(16);
        byte[] pik = random.next(16);
        byte[] mak = random.next(16);
        VirtualTerminal vt = new VirtualTerminal(7, tmk, KeyAlgorithm.SM4);

        byte[] f62 = WorkingKeyBlock.of(SignOnMode.DOUBLE, KeyAlgorithm.SM4, List.of(
                new WorkingKeyBlock.Entry(sm4(tmk, pik), Arrays.copyOf(sm4(pik, new byte[16]), 4)),
                new WorkingKeyBlock.Entry(sm4(tmk, mak), Arrays.copyOf(sm4(mak, new byte[16]), 4)))).encode();
        PosMessage badKcv = reply(WorkingKeyBlock.of(SignOnMode.DOUBLE, KeyAlgorithm.SM4, List.of(
                new WorkingKeyBlock.Entry(sm4(tmk, pik), new byte[4]),
                new WorkingKeyBlock.Entry(sm4(tmk, mak), Arrays.copyOf(sm4(mak, new byte[16]), 4)))).encode());
        assertThrows(IllegalStateException.class, () -> vt.acceptSignOn(badKcv));
        vt.acceptSignOn(reply(f62));

        byte[] body = vt.purchase(100);
        PosMessage m = PosMessage.unpack(body);
        assertEquals("2400000000000000", m.field(53), "53.2 = 4 for SM4");
        assertArrayEquals(new byte[8], m.binary(52));
        byte[] f63 = m.binary(63);
        assertEquals("SM016", new String(f63, 0, 5, StandardCharsets.US_ASCII));
        byte[] clear = sm4Decrypt(pik, Arrays.copyOfRange(f63, 5, 21));
        // SM4 format 0: 0, PIN length, PIN, F fill to 32 nibbles; XOR 20 zero nibbles ‖ 12 PAN digits
        String pan = VirtualTerminal.PAN;
        byte[] pinField = HEX.parseHex("06" + VirtualTerminal.PIN + "F".repeat(24));
        byte[] panField = HEX.parseHex("0".repeat(20) + pan.substring(pan.length() - 13, pan.length() - 1));
        for (int i = 0; i < 16; i++) pinField[i] ^= panField[i];
        assertArrayEquals(pinField, clear);

        assertArrayEquals(unionPaySm4(mak, MacBlock.of(body)), MacBlock.mac(body), "UnionPay SM4 POS MAC");
    }

    private static PosMessage reply(byte[] f62) {
        PosMessage m = PosMessage.create(new Tpdu(0x0000, 0x0003), AppHeader.parse("603100310301"), "0810");
        m.set(11, "000001").set(39, "00").set(62, f62);
        return PosMessage.unpack(m.pack());
    }

    /** XOR the zero-padded 16-byte blocks, hex (upper) H1 ‖ H2, SM4(K, SM4(K, H1) ⊕ H2), first 8 hex characters. */
    private static byte[] unionPaySm4(byte[] key, byte[] mab) {
        byte[] padded = Arrays.copyOf(mab, (mab.length + 15) / 16 * 16);
        byte[] r = new byte[16];
        for (int off = 0; off < padded.length; off += 16) for (int i = 0; i < 16; i++) r[i] ^= padded[off + i];
        byte[] h = HEX.formatHex(r).getBytes(StandardCharsets.US_ASCII);
        byte[] c = sm4(key, Arrays.copyOf(h, 16));
        for (int i = 0; i < 16; i++) c[i] ^= h[16 + i];
        c = sm4(key, c);
        return Arrays.copyOf(HEX.formatHex(c).getBytes(StandardCharsets.US_ASCII), 8);
    }

    private static byte[] sm4(byte[] key, byte[] data) {
        return run(true, key, data);
    }

    private static byte[] sm4Decrypt(byte[] key, byte[] data) {
        return run(false, key, data);
    }

    private static byte[] run(boolean encrypt, byte[] key, byte[] data) {
        SM4Engine engine = new SM4Engine();
        engine.init(encrypt, new KeyParameter(key));
        byte[] out = new byte[data.length];
        for (int off = 0; off < data.length; off += 16) engine.processBlock(data, off, out, off);
        return out;
    }
}
