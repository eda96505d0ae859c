package dev.posgate.protocol.posp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Sm4;
import dev.posgate.testing.Sm4Reference;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field 62 of an SM4 terminal (protocol.md section 5; docs/national-crypto.md, "Field 62 of an SM4 terminal"). */
class Sm4WorkingKeyBlockTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] TMK = HEX.parseHex("1234567890ABCDEFABCDEF0987654321");

    @Test
    void the004LayoutCarriesSm4KeysUnderTheSm4TmkWithFourByteSm4Kcvs() {
        byte[] pik = HEX.parseHex("F351D490994603795C6EBEE8FAEBB481");
        byte[] mak = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
        byte[] tdk = HEX.parseHex("FFEEDDCCBBAA99887766554433221100");
        List<WorkingKeyBlock.Entry> entries = List.of(entry(pik), entry(mak), entry(tdk));
        byte[] f62 = WorkingKeyBlock.of(SignOnMode.DOUBLE_WITH_TDK, KeyAlgorithm.SM4, entries).encode();
        assertEquals(60, f62.length, "PIK(16) KCV(4) MAK(16) KCV(4) TDK(16) KCV(4)");
        // independently: BouncyCastle's SM4Engine (test-support's Sm4Reference)
        assertArrayEquals(pik, Sm4Reference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 0, 16)));
        assertArrayEquals(Arrays.copyOf(Sm4Reference.ecbEncrypt(pik, new byte[16]), 4), Arrays.copyOfRange(f62, 16, 20));
        assertArrayEquals(mak, Sm4Reference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 20, 36)));
        assertArrayEquals(tdk, Sm4Reference.ecbDecrypt(TMK, Arrays.copyOfRange(f62, 40, 56)));
        // the published SM4 check value of this PIK (docs/national-crypto.md, KcvTest) begins the KCV
        assertEquals("861E83E3", HEX.formatHex(f62, 16, 20));

        WorkingKeyBlock back = WorkingKeyBlock.decode(SignOnMode.DOUBLE_WITH_TDK, KeyAlgorithm.SM4, f62);
        assertArrayEquals(Arrays.copyOfRange(f62, 40, 56), back.tdk().encryptedKey());
    }

    @Test
    void anSm4TerminalHasNo001AndNoSingleLengthSlot() {
        assertFalse(WorkingKeyBlock.supports(SignOnMode.SINGLE, KeyAlgorithm.SM4));
        assertTrue(WorkingKeyBlock.supports(SignOnMode.SINGLE, KeyAlgorithm.TDES));
        assertThrows(IllegalArgumentException.class, () -> WorkingKeyBlock.decode(SignOnMode.SINGLE, KeyAlgorithm.SM4, new byte[24]));
        WorkingKeyBlock.Entry single = WorkingKeyBlock.Entry.singleLength(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new byte[4]);
        assertThrows(IllegalArgumentException.class,
                () -> WorkingKeyBlock.of(SignOnMode.DOUBLE, KeyAlgorithm.SM4, List.of(entry(TMK), single)));
        WorkingKeyBlock.of(SignOnMode.DOUBLE, KeyAlgorithm.TDES, List.of(entry(TMK), single)); // the TDES profile of issue 14
    }

    @Test
    void field53MarksTheAlgorithm() {
        assertEquals("2600000000000000", KeyAlgorithm.TDES.field53WithPin());
        assertEquals("2400000000000000", KeyAlgorithm.SM4.field53WithPin());
        assertTrue(KeyAlgorithm.TDES.accepts53Algorithm(0));
        assertTrue(KeyAlgorithm.TDES.accepts53Algorithm(6));
        assertFalse(KeyAlgorithm.TDES.accepts53Algorithm(4));
        assertTrue(KeyAlgorithm.SM4.accepts53Algorithm(4));
        assertFalse(KeyAlgorithm.SM4.accepts53Algorithm(6));
        assertFalse(KeyAlgorithm.SM4.accepts53Algorithm(0));
    }

    /** The vfwz capture (53.2 = 4): 52 eight zero bytes, 63 = "SM016" + 16 bytes; and our writer gives that shape. */
    @Test
    void theSm4PinBlockTravelsIn63AfterSm016() {
        byte[] capture63 = HEX.parseHex("534D303136CDC489E91786D0BE01F543D813611BCD");
        dev.posgate.iso8583.pos.PosMessage m = dev.posgate.iso8583.pos.PosMessage.create(
                new dev.posgate.iso8583.pos.Tpdu(0x0003, 0x0000), dev.posgate.iso8583.pos.AppHeader.parse("603100310100"), "0200");
        m.set(52, new byte[8]).set(63, new String(capture63, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals("CDC489E91786D0BE01F543D813611BCD", HEX.formatHex(Sm4PinField.read(m)));
        byte[] block = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
        Sm4PinField.write(m, block);
        assertArrayEquals(new byte[8], m.binary(52));
        assertEquals("534D303136" + HEX.formatHex(block), HEX.formatHex(m.binary(63)));
        m.set(63, "001");
        assertEquals(null, Sm4PinField.read(m), "63 without the SM016 prefix carries no block");
    }

    private static WorkingKeyBlock.Entry entry(byte[] key) {
        return new WorkingKeyBlock.Entry(Sm4.encryptEcb(TMK, key), Kcv.ofSm4(key, 4));
    }
}
