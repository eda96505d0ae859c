package dev.posgate.terminal.pinpad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.testing.Sm4Reference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulated PIN pad with an SM4 TMK: SM4 working keys from field 62 (KCV checked), the SM4
 * PIN block and the UnionPay SM4 POS MAC, each checked with {@link Sm4Reference} (BouncyCastle's
 * SM4Engine directly).
 */
class PinPadSm4Test {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] TMK = HEX.parseHex("1234567890ABCDEFABCDEF0987654321");
    private static final byte[] PIK = HEX.parseHex("F351D490994603795C6EBEE8FAEBB481");
    private static final byte[] MAK = HEX.parseHex("00112233445566778899AABBCCDDEEFF");

    @Test
    void sm4WorkingKeysAreAcceptedOnlyWithTheirSm4KcvsAndUsedForPinAndMac() {
        PinPad pad = new PinPad();
        pad.writeSm4(1, KeyRole.TMK, TMK);
        PinPadKeys keys = new PinPadKeys(pad, 1);
        assertEquals(KeyAlgorithm.SM4, keys.algorithm());

        WorkingKeyBlock.Entry badKcv = new WorkingKeyBlock.Entry(Sm4Reference.ecbEncrypt(TMK, MAK), new byte[4]);
        assertFalse(keys.acceptWorkingKeys(WorkingKeyBlock.decode(SignOnMode.DOUBLE, KeyAlgorithm.SM4,
                WorkingKeyBlock.of(SignOnMode.DOUBLE, List.of(entry(PIK), badKcv)).encode())));
        assertTrue(keys.acceptWorkingKeys(WorkingKeyBlock.of(SignOnMode.DOUBLE, List.of(entry(PIK), entry(MAK)))));
        assertTrue(pad.isSm4(1, KeyRole.PIK));
        assertTrue(pad.isSm4(1, KeyRole.MAK));

        // PIN 123654, PAN 6230606601007726888: the published clear block (docs/national-crypto.md)
        byte[] block = keys.encryptPin("123654", "6230606601007726888");
        assertEquals("06123654FFFFFFFFFFFF99FEFF88D977", HEX.formatHex(Sm4Reference.ecbDecrypt(PIK, block)));

        byte[] mab = "0200 a message authentication block".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(Sm4Reference.unionPayMac(MAK, mab), keys.mac(mab, false));
    }

    @Test
    void aTdesPadIsUnchanged() {
        PinPad pad = new PinPad();
        pad.write(1, KeyRole.TMK, HEX.parseHex("0123456789ABCDEFFEDCBA9876543210"));
        assertEquals(KeyAlgorithm.TDES, new PinPadKeys(pad, 1).algorithm());
        assertFalse(pad.isSm4(1, KeyRole.TMK));
    }

    private static WorkingKeyBlock.Entry entry(byte[] key) {
        return new WorkingKeyBlock.Entry(Sm4Reference.ecbEncrypt(TMK, key), Arrays.copyOf(Sm4Reference.ecbEncrypt(key, new byte[16]), 4));
    }
}
