package dev.posgate.gateway.posp.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.testing.Eventually;
import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream link over real TCP against a scripted host: correlation, timeouts, no connection. */
class UpstreamLinkTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A host that holds requests until it has {@code batch}, then answers them in reverse order. */
    private NetServer host(int batch, List<String> silentStans) throws Exception {
        List<Object[]> held = new ArrayList<>();
        NetServer server = vertx.createNetServer().connectHandler(socket -> {
            FrameDecoder decoder = new FrameDecoder(FrameLimits.defaults(), new FrameSink() {
                @Override
                public void onFrame(Family family, byte[] body) {
                    PosMessage m = PosMessage.unpack(body);
                    if (silentStans.contains(m.field(11))) return;
                    synchronized (held) {
                        held.add(new Object[] {socket, m});
                        if (held.size() < batch) return;
                        for (int i = held.size() - 1; i >= 0; i--) {
                            PosMessage r = ((PosMessage) held.get(i)[1]).reply(ProcessingRequirement.NONE).set(39, "0" + i);
                            ((NetSocket) held.get(i)[0]).write(Buffer.buffer(FrameEncoder.encode(r.pack())));
                        }
                        held.clear();
                    }
                }

                @Override
                public void onError(FrameError error) {
                    socket.close();
                }
            });
            socket.handler(b -> decoder.feed(b.getBytes(), 0, b.length()));
        });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static byte[] request(String tid, String stan) {
        PosMessage m = PosMessage.create(UpstreamMessages.TPDU, AppHeader.parse("603100310301"), "0200");
        m.set(3, "000000").set(11, stan).set(41, tid).set(60, new Field60("22", "000001", "000").format());
        return m.pack();
    }

    @Test
    void repliesAreMatchedByTerminalAndStanWhateverTheirOrderAndConnection() throws Exception {
        NetServer server = host(4, List.of());
        UpstreamLink link = new UpstreamLink(vertx, "127.0.0.1:" + server.actualPort(), 3, Duration.ofSeconds(5));
        await(link.start());
        Eventually.until("3 connections up", () -> link.connectionsUp() == 3);
        List<Future<PosMessage>> replies = List.of(
                link.request("TERM0001", "000001", "0200", request("TERM0001", "000001")),
                link.request("TERM0002", "000001", "0200", request("TERM0002", "000001")),
                link.request("TERM0001", "000002", "0200", request("TERM0001", "000002")),
                link.request("TERM0002", "000002", "0200", request("TERM0002", "000002")));
        String[][] expected = {{"TERM0001", "000001"}, {"TERM0002", "000001"}, {"TERM0001", "000002"}, {"TERM0002", "000002"}};
        for (int i = 0; i < 4; i++) {
            PosMessage r = await(replies.get(i));
            assertEquals(expected[i][0], r.field(41));
            assertEquals(expected[i][1], r.field(11));
            assertEquals("0210", r.mti());
        }
        await(link.close());
    }

    @Test
    void aMissingReplyTimesOutAndNoConnectionIsUnavailable() throws Exception {
        NetServer server = host(1, List.of("000009"));
        UpstreamLink link = new UpstreamLink(vertx, "127.0.0.1:" + server.actualPort(), 2, Duration.ofMillis(300));
        await(link.start());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(link.request("TERM0001", "000009", "0200", request("TERM0001", "000009"))));
        UpstreamException u = assertInstanceOf(UpstreamException.class, e.getCause());
        assertTrue(u.timeout());
        // The link still works after a timeout.
        assertEquals("00", await(link.request("TERM0001", "000010", "0200", request("TERM0001", "000010"))).field(39));
        await(link.close());

        UpstreamLink nowhere = new UpstreamLink(vertx, "127.0.0.1:1", 1, Duration.ofMillis(300));
        await(nowhere.start());
        ExecutionException down = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(nowhere.request("TERM0001", "000001", "0200", request("TERM0001", "000001"))));
        assertTrue(!assertInstanceOf(UpstreamException.class, down.getCause()).timeout());
        await(nowhere.close());
    }

    @Test
    void anIpv6HostIsParsedAndABadOneRefusedWithTheKey() throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(socket -> { })
                .listen(0, "::1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        UpstreamLink link = new UpstreamLink(vertx, "[::1]:" + server.actualPort(), 1, Duration.ofSeconds(5));
        await(link.start());
        Eventually.until("connected over IPv6", () -> link.connectionsUp() == 1);
        await(link.close());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new UpstreamLink(vertx, "::1:1500", 1, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("upstream.host"), e.getMessage());
    }
}
