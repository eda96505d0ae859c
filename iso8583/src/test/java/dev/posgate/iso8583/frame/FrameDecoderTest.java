package dev.posgate.iso8583.frame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {

    /** Records every callback as a string, in order. */
    static final class Recorder implements FrameSink {
        final List<String> events = new ArrayList<>();
        final List<byte[]> bodies = new ArrayList<>();

        @Override
        public void onFrame(Family family, byte[] body) {
            events.add(family + ":" + hex(body));
            bodies.add(body);
        }

        @Override
        public void onKeepAlive() {
            events.add("KA");
        }

        @Override
        public void onError(FrameError error) {
            events.add("ERR:" + error);
        }
    }

    private final Recorder sink = new Recorder();
    private final FrameDecoder decoder = new FrameDecoder(FrameLimits.defaults(), sink);

    @Test
    void defaultsAre8KiBForIsoAndTheU16MaximumForTms() {
        assertEquals(8192, FrameLimits.defaults().maxIso());
        assertEquals(65535, FrameLimits.defaults().maxTms());
        assertThrows(IllegalArgumentException.class, () -> new FrameLimits(65536, 1));
        assertThrows(IllegalArgumentException.class, () -> new FrameLimits(1, -1));
    }

    @Test
    void familyOf() {
        assertEquals(Family.ISO8583, Family.of((byte) 0x60));
        assertEquals(Family.TMS, Family.of((byte) 'T'));
        assertEquals(null, Family.of((byte) 0x61));
        assertEquals(null, Family.of((byte) 0x00));
    }

    @Test
    void oneFrameOneKeepAliveOneTmsFrameInOneChunk() {
        decoder.feed(bytes("0003 600102", "0000", "0002 544D"));
        assertEquals(List.of("ISO8583:600102", "KA", "TMS:544D"), sink.events);
        assertFalse(decoder.midFrame());
    }

    @Test
    void bodyArrayIsExactlyLenAndNotReusedAcrossFrames() {
        decoder.feed(bytes("0003 600102 0003 600304"));
        assertEquals(3, sink.bodies.get(0).length);
        assertFalse(sink.bodies.get(0) == sink.bodies.get(1));
        assertArrayEquals(bytes("600102"), sink.bodies.get(0));
    }

    @Test
    void oneByteBodyIsEmittedOnItsFamilyByte() {
        decoder.feed(bytes("0001"));
        assertTrue(decoder.midFrame());
        decoder.feed(bytes("54"));
        assertEquals(List.of("TMS:54"), sink.events);
        assertFalse(decoder.midFrame());
    }

    @Test
    void midFrameTracksPartialFrames() {
        assertFalse(decoder.midFrame());
        decoder.feed(bytes("00"));
        assertTrue(decoder.midFrame(), "one LEN byte buffered");
        decoder.feed(bytes("04"));
        assertTrue(decoder.midFrame(), "LEN known, no body yet");
        decoder.feed(bytes("60 01"));
        assertTrue(decoder.midFrame());
        decoder.feed(bytes("02 03"));
        assertFalse(decoder.midFrame());
        decoder.feed(bytes("0000"));
        assertFalse(decoder.midFrame(), "a keep-alive leaves nothing buffered");
        assertEquals(List.of("ISO8583:60010203", "KA"), sink.events);
    }

    @Test
    void oversizedIsoIsRefusedOnTheFamilyByteBeforeAnyMoreBodyIsFed() {
        // LEN 8193 = 0x2001 > 8192 for ISO, but <= 65535 (TMS), so the family byte decides
        decoder.feed(bytes("2001"));
        assertEquals(List.of(), sink.events, "could still be a TMS frame");
        decoder.feed(bytes("60"));
        assertEquals(List.of("ERR:OVERSIZED"), sink.events);
        assertTrue(decoder.isDead());
        assertFalse(decoder.midFrame());
        decoder.feed(new byte[100]); // the rest of the body: ignored
        decoder.feed(bytes("0001 60"));
        assertEquals(List.of("ERR:OVERSIZED"), sink.events);
    }

    @Test
    void isoFrameAtExactlyTheMaximumIsAccepted() {
        byte[] body = new byte[8192];
        body[0] = 0x60;
        decoder.feed(bytes("2000"));
        decoder.feed(body);
        assertEquals(1, sink.bodies.size());
        assertEquals(8192, sink.bodies.get(0).length);
    }

    @Test
    void lengthAboveEveryFamilyMaximumIsRefusedOnTheLengthAlone() {
        FrameDecoder d = new FrameDecoder(new FrameLimits(100, 200), sink);
        d.feed(bytes("00C9")); // 201 > max(100, 200)
        assertEquals(List.of("ERR:OVERSIZED"), sink.events);
        assertTrue(d.isDead());
    }

    @Test
    void oversizedTmsWithCustomLimit() {
        FrameDecoder d = new FrameDecoder(new FrameLimits(1000, 10), sink);
        d.feed(bytes("000B 54")); // 11 > 10 for TMS
        assertEquals(List.of("ERR:OVERSIZED"), sink.events);
    }

    @Test
    void unknownFamilyIsAnErrorOnItsFirstByte() {
        decoder.feed(bytes("0005 02"));
        assertEquals(List.of("ERR:UNKNOWN_FAMILY"), sink.events);
        decoder.feed(bytes("01020304 0002 6000"));
        assertEquals(List.of("ERR:UNKNOWN_FAMILY"), sink.events, "dead after the error");
    }

    @Test
    void framesBeforeAnErrorInTheSameChunkAreDelivered() {
        decoder.feed(bytes("0002 6001 0000 0001 FF 0002 6002"));
        assertEquals(List.of("ISO8583:6001", "KA", "ERR:UNKNOWN_FAMILY"), sink.events);
    }

    @Test
    void familyWithMaximumZeroIsNotAccepted() {
        FrameDecoder isoOnly = new FrameDecoder(new FrameLimits(8192, 0), sink);
        isoOnly.feed(bytes("0002 544D"));
        assertEquals(List.of("ERR:FAMILY_NOT_ACCEPTED"), sink.events);
    }

    @Test
    void closeFromACallbackStopsTheRestOfTheChunk() {
        FrameDecoder[] ref = new FrameDecoder[1];
        List<String> seen = new ArrayList<>();
        ref[0] = new FrameDecoder(FrameLimits.defaults(), new FrameSink() {
            @Override
            public void onFrame(Family family, byte[] body) {
                seen.add(hex(body));
                ref[0].close();
            }

            @Override
            public void onError(FrameError error) {
                seen.add("ERR");
            }
        });
        ref[0].feed(bytes("0002 6001 0002 6002"));
        assertEquals(List.of("6001"), seen);
        assertTrue(ref[0].isDead());
    }

    @Test
    void anAnnouncedMaximumLengthPinsOnlyTheFirstChunk() {
        // issue 13: FF FF 'T' used to allocate 64 KiB at once, before any body byte arrived
        decoder.feed(bytes("FFFF 54"));
        assertTrue(decoder.midFrame());
        assertEquals(FrameDecoder.FIRST_CHUNK, decoder.bufferedBytes());
    }

    @Test
    void theBufferGrowsWithTheBytesThatArriveAndTheBodyIsExactlyLen() {
        decoder.feed(bytes("FFFF 54"));
        byte[] chunk = new byte[1000];
        int received = 1;
        while (received + chunk.length < 0xFFFF) {
            decoder.feed(chunk);
            received += chunk.length;
            assertTrue(decoder.bufferedBytes() <= Math.max(FrameDecoder.FIRST_CHUNK, 2 * received),
                    decoder.bufferedBytes() + " buffered for " + received + " received");
            assertTrue(decoder.bufferedBytes() >= received);
        }
        decoder.feed(new byte[0xFFFF - received]);
        assertEquals(1, sink.bodies.size());
        assertEquals(0xFFFF, sink.bodies.get(0).length);
        assertEquals(0x54, sink.bodies.get(0)[0]);
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void aShortFrameIsAllocatedAtItsLength() {
        decoder.feed(bytes("0004 6001"));
        assertEquals(4, decoder.bufferedBytes());
        decoder.feed(bytes("0203"));
        assertArrayEquals(bytes("60010203"), sink.bodies.get(0));
    }

    @Test
    void feedChecksItsBounds() {
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.feed(new byte[4], 2, 3));
        decoder.feed(bytes("FF 0002 6001 FF"), 1, 4);
        assertEquals(List.of("ISO8583:6001"), sink.events);
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 42L, 8583L, 20240314L})
    void randomSegmentationOfAMixedStreamYieldsExactlyTheFramesInOrder(long seed) {
        Random rnd = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int kind = rnd.nextInt(10);
            if (kind == 0) {
                stream.writeBytes(new byte[] {0, 0});
                expected.add("KA");
                continue;
            }
            boolean iso = kind <= 6;
            int len;
            if (rnd.nextInt(40) == 0) {
                len = iso ? 8192 : 65535; // the largest legal frames
            } else if (rnd.nextInt(10) == 0) {
                len = 1 + rnd.nextInt(3); // tiny ones
            } else {
                len = 1 + rnd.nextInt(iso ? 600 : 3000);
            }
            byte[] body = new byte[len];
            rnd.nextBytes(body);
            body[0] = iso ? (byte) 0x60 : (byte) 'T';
            stream.writeBytes(FrameEncoder.encode(body));
            expected.add((iso ? "ISO8583:" : "TMS:") + hex(body));
        }
        byte[] all = stream.toByteArray();
        int p = 0;
        while (p < all.length) {
            int max = rnd.nextInt(4) == 0 ? 3 : rnd.nextInt(3) == 0 ? 70_000 : 1500;
            int n = Math.min(all.length - p, 1 + rnd.nextInt(max));
            // feed from an offset inside a larger array, as a network buffer would
            byte[] chunk = new byte[n + 7];
            System.arraycopy(all, p, chunk, 3, n);
            decoder.feed(chunk, 3, n);
            p += n;
        }
        assertEquals(expected.size(), sink.events.size());
        assertEquals(expected, sink.events);
        assertFalse(decoder.midFrame());
        assertFalse(decoder.isDead());
    }

    @Test
    void byteByByteFeeding() {
        byte[] stream = bytes("0003 600102 0000 0004 544D0102");
        for (int i = 0; i < stream.length; i++) {
            decoder.feed(Arrays.copyOfRange(stream, i, i + 1));
        }
        assertEquals(List.of("ISO8583:600102", "KA", "TMS:544D0102"), sink.events);
    }

    @Test
    void encoderWritesBigEndianLengthAndRefusesOversizedBodies() {
        assertArrayEquals(bytes("0003 600102"), FrameEncoder.encode(bytes("600102")));
        byte[] big = new byte[65535];
        byte[] frame = FrameEncoder.encode(big);
        assertEquals((byte) 0xFF, frame[0]);
        assertEquals((byte) 0xFF, frame[1]);
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(new byte[65536]));
        assertArrayEquals(bytes("0000"), FrameEncoder.keepAlive());
        assertArrayEquals(bytes("0002 0203"), FrameEncoder.encode(bytes("01020304"), 1, 2));
    }
}
