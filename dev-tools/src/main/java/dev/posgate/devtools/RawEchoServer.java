package dev.posgate.devtools;

import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * The benchmark baseline: a plain Vert.x TCP server with the gateway's framing (same
 * {@link FrameDecoder}, same listener options and instance count) that writes every frame
 * back unchanged. Whatever the gateway costs beyond this is its own work: parsing, routing,
 * sessions, metrics.
 */
public final class RawEchoServer extends VerticleBase {
    private final int port;

    private RawEchoServer(int port) {
        this.port = port;
    }

    public static Future<String> deploy(Vertx vertx, int port, int instances) {
        return vertx.deployVerticle(() -> new RawEchoServer(port), new DeploymentOptions().setInstances(instances));
    }

    @Override
    public Future<?> start() {
        return vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true).setAcceptBacklog(8192))
                .connectHandler(this::serve)
                .listen(port, "127.0.0.1");
    }

    private void serve(NetSocket socket) {
        FrameDecoder decoder = new FrameDecoder(FrameLimits.defaults(), new FrameSink() {
            @Override
            public void onFrame(Family family, byte[] body) {
                socket.write(Buffer.buffer(FrameEncoder.encode(body)));
            }

            @Override
            public void onError(FrameError error) {
                socket.close();
            }
        });
        socket.handler(b -> {
            byte[] bytes = b.getBytes();
            decoder.feed(bytes, 0, bytes.length);
        });
    }
}
