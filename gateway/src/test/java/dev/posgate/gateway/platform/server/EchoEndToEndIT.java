package dev.posgate.gateway.platform.server;

import static dev.posgate.gateway.support.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.tms.TmsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway over real TCP answers what protocol.md says, byte for byte. */
class EchoEndToEndIT {
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @Test
    void echoWrittenByHandGetsTheExact0830() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            byte[] reply = t.exchange(Frames.echoRequest("000123"));
            assertEquals("""
                    60 0000 0003
                    60 31 00 31 03 01
                    08 30
                    00 20 00 00 02 C0 00 10
                    00 01 23
                    30 30
                    54 45 52 4D 30 30 30 31
                    38 39 38 33 31 30 30 34 38 39 39 30 30 30 31
                    00 11 00 00 00 01 30 10
                    """.replaceAll("\\s", ""), hex(reply),
                    "0830: TPDU swapped, header kept, bitmap 11/39/41/42/60, same STAN, 39=00");
        }
    }

    @Test
    void keepAlivesAreIgnoredAndSeveralFramesInOneSegmentAreAllAnswered() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            byte[] a = Frames.echoRequest("000001");
            byte[] b = Frames.echoRequest("000002");
            byte[] stream = new byte[2 + 2 + a.length + 2 + b.length];
            int o = 2; // leading keep-alive: 00 00
            stream[o++] = 0;
            stream[o++] = (byte) a.length;
            System.arraycopy(a, 0, stream, o, a.length);
            o += a.length;
            stream[o++] = 0;
            stream[o++] = (byte) b.length;
            System.arraycopy(b, 0, stream, o, b.length);
            t.writeRaw(stream);
            assertEquals("000001", PosMessage.unpack(t.receive()).field(11));
            assertEquals("000002", PosMessage.unpack(t.receive()).field(11));
            assertTrue(!t.closedByPeer(300), "a keep-alive is never echoed and never closes the session");
        }
    }

    @Test
    void aFrameSplitIntoSingleBytesIsReassembled() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            byte[] body = Frames.echoRequest("000777");
            byte[] frame = new byte[body.length + 2];
            frame[1] = (byte) body.length;
            System.arraycopy(body, 0, frame, 2, body.length);
            for (byte x : frame) {
                t.writeRaw(new byte[] {x});
                Thread.sleep(1);
            }
            assertEquals("000777", PosMessage.unpack(t.receive()).field(11));
        }
    }

    @Test
    void anUnknownMessageThatParsesGets12() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            PosMessage req = PosMessage.unpack(Frames.echoRequest("000124"));
            req.set(60, "00000001999"); // 60.3 = 999: no such network management code
            PosMessage reply = PosMessage.unpack(t.exchange(req.pack()));
            assertEquals("0830", reply.mti());
            assertEquals("12", reply.field(39));
            assertEquals("000124", reply.field(11));
        }
    }

    @Test
    void signOffFromAnUnregisteredTerminalGets97() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            PosMessage req = PosMessage.unpack(Frames.echoRequest("000125"));
            req.set(60, "00000001002");
            PosMessage reply = PosMessage.unpack(t.exchange(req.pack()));
            assertEquals("0830", reply.mti());
            assertEquals("97", reply.field(39));
        }
    }

    @Test
    void anUnknownTmsCodeGetsStatus12() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            byte[] reply = t.exchange(hex("""
                    54 4D 01        # 'T' 'M' version 1
                    5A 39           # code "Z9": not a transaction of protocol.md
                    00              # flags: request, clear body
                    00 00 00 2A     # seq 42
                    30 30           # status "00"
                    """));
            TmsMessage m = TmsMessage.unpack(reply);
            assertEquals("12", m.header().status());
            assertEquals(42, m.header().seq());
            assertTrue(m.header().isResponse());
        }
    }
}
