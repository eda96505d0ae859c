package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 13: what a stranger on the terminal port can make the gateway hold, measured over real TCP. */
class StrangerCostIT {
    private static final int CONNECTIONS = 1000;

    /**
     * {@code FF FF 'T'} announces the largest TMS frame and sends nothing more: the gateway used
     * to allocate the 64 KiB body at once (1,500 connections pinned 108 MB). The buffered-bytes
     * gauge is exact (each session adds what its decoder holds), so the check does not depend on
     * GC timing: every connection holds the first chunk, not the announced length.
     */
    @Test
    void aMaximalAnnouncedLengthPinsOnlyTheFirstChunkPerConnection() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of(Setting.MAX_CONNECTIONS, 5000,
                Setting.MAX_CONNECTIONS_PER_IP, 5000, Setting.FRAME_TIMEOUT, 600, Setting.FIRST_FRAME_TIMEOUT, 0))) {
            List<TerminalConnection> held = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    TerminalConnection t = gateway.connect();
                    held.add(t);
                    t.writeRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, 'T'});
                }
                double expected = (double) CONNECTIONS * FrameDecoder.FIRST_CHUNK;
                double buffered = awaitGauge(gateway, expected);
                System.out.printf("StrangerCostIT: %d connections announcing 65535 bytes hold %.0f bytes (%.0f each)%n",
                        CONNECTIONS, buffered, buffered / CONNECTIONS);
                assertEquals(expected, buffered, "each connection holds the first chunk, not 65535 bytes");
                try (TerminalConnection t = gateway.connect()) {
                    assertEquals("00", PosMessage.unpack(t.exchange(Frames.echoRequest("000001"))).field(39));
                }
            } finally {
                for (TerminalConnection t : held) t.close();
            }
            assertEquals(0.0, awaitGauge(gateway, 0), "closed sessions release what they held");
        }
    }

    /** Waits until the gauge reads {@code expected} (the bytes arrive asynchronously), then returns it. */
    private static double awaitGauge(TestGateway gateway, double expected) throws Exception {
        return Eventually.value("posgate_frame_buffered_bytes reads " + expected,
                () -> Metrics.value(gateway, "posgate_frame_buffered_bytes"), v -> v >= expected && (expected != 0 || v == 0));
    }
}
