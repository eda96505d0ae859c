package dev.posgate.gateway.posp.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.iso8583.pos.PosMessage;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.posgate.gateway.posp.RealTrafficCorpus;

/** The entry layouts against mposSDK's published 0810/0830 answers (corpus files {@code mpossdk-08x0-*}). */
class IcEntryTest {
    @Test
    void thePublishedCaKeysCheckHashIsItsEmvSha1AndItsSummaryIsItsEntryInThePublishedStatusAnswer() {
        IcEntry key = IcEntry.parse(IcEntry.Kind.CAPK, entry("mpossdk-0810-capk-download.hex"));
        assertEquals("A00000033308", key.key());
        assertEquals("EE23B616C95C02652AD18860E48787C079E8E85A", key.checkHash(), "DF03 as published");
        byte[] status = field62("mpossdk-0830-capk-query.hex");
        assertEquals('1', status[0]);
        byte[] summary = key.summary();
        assertArrayEquals(Arrays.copyOfRange(status, status.length - summary.length, status.length), summary,
                "9F06 9F22 DF05 of key 08, the last entry of the published list");
        assertEquals(List.of("A000000003", "A000000004", "A000000065", "A000000333", "A000000333"),
                IcEntry.keysIn(IcEntry.Kind.AID, Arrays.copyOfRange(status, 1, status.length)));
        assertEquals(List.of("A00000000309", "A00000000406", "A00000006514", "A0000003330B", "A00000033308"),
                IcEntry.keysIn(IcEntry.Kind.CAPK, Arrays.copyOfRange(status, 1, status.length)));
    }

    @Test
    void thePublishedAidRecordsSummaryIsItsEntryInThePublishedStatusAnswer() {
        IcEntry aid = IcEntry.parse(IcEntry.Kind.AID, entry("mpossdk-0810-ic-param-download.hex"));
        assertEquals("A0000000031010", aid.key());
        byte[] status = field62("mpossdk-0830-ic-param-query.hex");
        byte[] summary = aid.summary();
        assertArrayEquals(Arrays.copyOfRange(status, status.length - summary.length, status.length), summary);
        assertEquals(10, IcEntry.keysIn(IcEntry.Kind.AID, Arrays.copyOfRange(status, 1, status.length)).size());
    }

    @Test
    void aCaKeyWithoutModulusOrWithAnotherDf03IsRefused() {
        byte[] key = entry("mpossdk-0810-capk-download.hex");
        key[key.length - 20] ^= 0x01;
        assertThrows(IllegalArgumentException.class, () -> IcEntry.parse(IcEntry.Kind.CAPK, key));
        byte[] noModulus = HexFormat.of().parseHex("9f0605a0000003339f220108df040103");
        assertThrows(IllegalArgumentException.class, () -> IcEntry.parse(IcEntry.Kind.CAPK, noModulus));
        assertThrows(IllegalArgumentException.class, () -> IcEntry.parse(IcEntry.Kind.AID, new byte[] {0x31, 0x30, 0x30}));
    }

    private static byte[] entry(String file) {
        byte[] f62 = field62(file);
        assertEquals('1', f62[0]);
        return Arrays.copyOfRange(f62, 1, f62.length);
    }

    private static byte[] field62(String file) {
        return PosMessage.unpack(RealTrafficCorpus.read(RealTrafficCorpus.DIR.resolve(file)).body()).binary(62);
    }
}
