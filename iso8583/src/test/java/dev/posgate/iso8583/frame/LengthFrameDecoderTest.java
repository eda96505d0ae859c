package dev.posgate.iso8583.frame;

import static dev.posgate.iso8583.TestHex.bytes;
import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one length framing: split, coalesced, oversized (fatal or skipped) and zero-length frames. */
class LengthFrameDecoderTest {
    private final List<String> events = new ArrayList<>();
    private final LengthFrameDecoder.Handler recorder = new LengthFrameDecoder.Handler() {
        @Override
        public void onFrame(byte[] body) {
            events.add(hex(body));
        }

        @Override
        public void onEmptyFrame() {
            events.add("EMPTY");
        }

        @Override
        public void onOversized(byte[] prefix, int length) {
            events.add("OVER:" + length + ":" + hex(prefix));
        }

        @Override
        public void onError(FrameError error) {
            events.add("ERR:" + error);
        }
    };

    @Test
    void aFrameSplitIntoSingleBytesIsDeliveredOnceWhole() {
        LengthFrameDecoder d = new LengthFrameDecoder(100, recorder);
        for (byte b : bytes("0003 414243")) {
            d.feed(new byte[] {b});
            if (events.isEmpty()) assertTrue(d.midFrame());
        }
        assertEquals(List.of("414243"), events);
        assertFalse(d.midFrame());
    }

    @Test
    void coalescedFramesInOneSegmentAreDeliveredInOrder() {
        LengthFrameDecoder d = new LengthFrameDecoder(100, recorder);
        d.feed(bytes("0001 41 0000 0002 4243 00"));
        d.feed(bytes("01 44"));
        assertEquals(List.of("41", "EMPTY", "4243", "44"), events);
    }

    @Test
    void anAnnouncedLengthOverTheMaximumIsAnErrorBeforeAnyBodyByte() {
        LengthFrameDecoder d = new LengthFrameDecoder(4, recorder);
        d.feed(bytes("0005"));
        assertEquals(List.of("ERR:OVERSIZED"), events);
        assertTrue(d.isDead());
        d.feed(bytes("0001 41"));
        assertEquals(1, events.size(), "dead after an error");
    }

    @Test
    void oversizedFramesCanBeSkippedAfterTheirPrefixKeepingTheStreamInStep() {
        LengthFrameDecoder d = new LengthFrameDecoder(4, recorder).skipOversized(2);
        d.feed(bytes("0006 4142"));
        d.feed(bytes("43 4445 46 0001"));
        d.feed(bytes("47"));
        assertEquals(List.of("OVER:6:4142", "47"), events);
    }

    @Test
    void zeroLengthFramesAreReportedAndNothingIsBuffered() {
        LengthFrameDecoder d = new LengthFrameDecoder(0, recorder);
        d.feed(bytes("0000 0000"));
        assertEquals(List.of("EMPTY", "EMPTY"), events);
        assertEquals(0, d.bufferedBytes());
    }

    @Test
    void admissionSeesLengthAndFirstByteBeforeBuffering() {
        LengthFrameDecoder d = new LengthFrameDecoder(100, recorder)
                .admission((len, first) -> first == 0x41 ? null : FrameError.UNKNOWN_FAMILY);
        d.feed(bytes("0002 4142 0002 42"));
        assertEquals(List.of("4142", "ERR:UNKNOWN_FAMILY"), events);
    }

    @Test
    void theBodyGrowsWithWhatArrivedNotWithWhatWasAnnounced() {
        LengthFrameDecoder d = new LengthFrameDecoder(65535, recorder);
        d.feed(bytes("FFFF 41"));
        assertEquals(LengthFrameDecoder.FIRST_CHUNK, d.bufferedBytes());
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LengthFrameDecoder(65536, recorder));
        assertThrows(IllegalArgumentException.class, () -> new LengthFrameDecoder(4, recorder).skipOversized(5));
    }
}
