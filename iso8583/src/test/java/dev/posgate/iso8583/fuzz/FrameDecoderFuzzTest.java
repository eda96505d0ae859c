package dev.posgate.iso8583.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoder under arbitrary streams and arbitrary segmentation: it never throws, never
 * delivers a frame above its family's limit, stops at its first error, and delivers the same
 * frames whatever the segmentation.
 */
class FrameDecoderFuzzTest {
    private static final FrameLimits LIMITS = new FrameLimits(512, 2048);

    @FuzzTest(maxDuration = "10s")
    void anySegmentation(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, 16)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = data.consumeInt(1, 64);
        byte[] stream = data.consumeRemainingAsBytes();

        List<String> whole = decode(stream, new int[0]);
        List<String> pieces = decode(stream, cuts);
        assertEquals(whole, pieces, "segmentation must not change what is decoded");
    }

    private static List<String> decode(byte[] stream, int[] cuts) {
        List<String> events = new ArrayList<>();
        FrameDecoder d = new FrameDecoder(LIMITS, new FrameSink() {
            @Override
            public void onFrame(Family family, byte[] body) {
                assertTrue(body.length <= LIMITS.max(family));
                assertEquals(family.code(), body[0]);
                events.add(family + ":" + java.util.HexFormat.of().formatHex(body));
            }

            @Override
            public void onKeepAlive() {
                events.add("keepalive");
            }

            @Override
            public void onError(FrameError error) {
                events.add("error:" + error);
            }
        });
        int off = 0;
        int i = 0;
        while (off < stream.length) {
            int n = cuts.length == 0 ? stream.length : Math.min(cuts[i++ % cuts.length], stream.length - off);
            d.feed(stream, off, n);
            off += n;
        }
        long errors = events.stream().filter(e -> e.startsWith("error")).count();
        assertTrue(errors <= 1, "the decoder is dead after its first error");
        return events;
    }
}
