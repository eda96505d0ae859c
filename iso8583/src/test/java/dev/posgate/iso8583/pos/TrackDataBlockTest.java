package dev.posgate.iso8583.pos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The track data block layout against the published example (docs/protocol-choices.md, "Track encryption"). */
class TrackDataBlockTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * xrtinfo POS SDK manual 4.4.2: track 2 {@code 1234567890123456789=0508201781999168302} (39
     * digits) packed as 20 bytes; TDB2 = {@code 08 20 17 81 99 91 68 30}.
     */
    @Test
    void theBlockOfThePublishedTrack2IsThePublishedTdb() {
        byte[] packed = HEX.parseHex("1234567890123456789D05082017819991683020");
        assertArrayEquals(HEX.parseHex("0820178199916830"), TrackDataBlock.of(packed));
    }

    @Test
    void aBlockPutBackReplacesExactlyTheTdbAndReadsAsTheTrack() {
        byte[] packed = HEX.parseHex("1234567890123456789D05082017819991683020");
        byte[] other = TrackDataBlock.replaced(packed, HEX.parseHex("AAAAAAAAAAAAAAAA"));
        assertEquals("1234567890123456789D05AAAAAAAAAAAAAAAA20", HEX.formatHex(other).toUpperCase());
        byte[] back = TrackDataBlock.replaced(other, TrackDataBlock.of(packed));
        assertArrayEquals(packed, back);
        assertEquals("1234567890123456789=0508201781999168302", TrackDataBlock.text(back, 39));
        assertEquals("1234567890123456789=05AAAAAAAAAAAAAAAA2", TrackDataBlock.text(other, 39));
    }

    /** The SM4 TDB (docs/national-crypto.md, "SM4 track data"): the 16 bytes ending one byte before the last. */
    @Test
    void theSm4BlockIsTheSixteenBytesEndingOneBeforeTheLast() {
        byte[] packed = HEX.parseHex("1234567890123456789D05082017819991683020");
        assertArrayEquals(HEX.parseHex("7890123456789D050820178199916830"), TrackDataBlock.of(packed, TrackDataBlock.SM4_BLOCK));
        byte[] other = TrackDataBlock.replaced(packed, HEX.parseHex("BB".repeat(16)));
        assertEquals("123456" + "BB".repeat(16) + "20", HEX.formatHex(other).toUpperCase());
        assertArrayEquals(packed, TrackDataBlock.replaced(other, TrackDataBlock.of(packed, 16)));
    }
}
