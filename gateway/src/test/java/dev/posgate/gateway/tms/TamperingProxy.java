package dev.posgate.gateway.tms;

import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/** A man in the middle that flips one bit in every sealed D2 answer from the gateway. */
final class TamperingProxy {
    private final NetServer server;

    private TamperingProxy(NetServer server) {
        this.server = server;
    }

    static Future<TamperingProxy> start(Vertx vertx, int gatewayPort) {
        // One client held by the handler (an unreferenced NetClient is closed by Vert.x's cleaner, sockets and all).
        NetClient gateways = vertx.createNetClient();
        NetServer server = vertx.createNetServer().connectHandler(terminal -> {
            terminal.pause();
            gateways.connect(gatewayPort, "127.0.0.1").onSuccess(gateway -> {
                terminal.handler(gateway::write);
                FrameDecoder down = new FrameDecoder(FrameLimits.defaults(), new FrameSink() {
                    @Override
                    public void onFrame(Family family, byte[] body) {
                        // header: 'T' 'M' 01 code(2) flags(1): a sealed (bit1) D2 answer gets its last MAC byte flipped
                        if (body[3] == 'D' && body[4] == '2' && (body[5] & 0x02) != 0) body[body.length - 1] ^= 0x01;
                        terminal.write(Buffer.buffer(FrameEncoder.encode(body)));
                    }

                    @Override
                    public void onError(FrameError error) {
                        terminal.close();
                    }
                });
                gateway.handler(b -> down.feed(b.getBytes()));
                gateway.closeHandler(v -> terminal.close());
                terminal.closeHandler(v -> gateway.close());
                terminal.resume();
            }).onFailure(e -> terminal.close());
        });
        return server.listen(0, "127.0.0.1").map(s -> new TamperingProxy(server));
    }

    int port() {
        return server.actualPort();
    }

    Future<Void> close() {
        return server.close();
    }
}
