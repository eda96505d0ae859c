package dev.posgate.load.gatling;

import io.gatling.core.config.GatlingConfiguration;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.function.Consumer;

/**
 * Opens terminal connections on Gatling's own Netty event loops. A channel is registered with
 * the virtual user's event loop (the loop of {@code CoreComponents.eventLoopGroup()} its Session
 * is bound to), so the user's actions and the connection's callbacks run on the same thread and
 * never need a lock or a hand-off.
 */
final class PosConnector {
    private final PosTcpProtocol protocol;
    private final ChannelFactory<? extends SocketChannel> channelFactory;

    PosConnector(PosTcpProtocol protocol, GatlingConfiguration configuration) {
        this.protocol = protocol;
        this.channelFactory = channelFactory(configuration.netty().useNativeTransport(),
                configuration.netty().useIoUring());
    }

    /**
     * Connects asynchronously; {@code onConnected} or {@code onFailed} runs on {@code eventLoop}.
     * A fresh Bootstrap per connection: it is a cheap builder and each channel needs its own handler.
     */
    void connect(EventLoop eventLoop, Consumer<PosConnection> onConnected, Consumer<Throwable> onFailed) {
        PosConnection connection = new PosConnection();
        ChannelFuture future = new Bootstrap()
                .group(eventLoop)
                .channelFactory(channelFactory)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) protocol.connectTimeout().toMillis())
                .handler(connection)
                .connect(protocol.host(), protocol.port());
        future.addListener(f -> {
            if (f.isSuccess()) onConnected.accept(connection);
            else onFailed.accept(f.cause());
        });
    }

    // The channel class must match the IoHandler of Gatling's event loop group, which Gatling picks
    // from the same two settings (io.gatling.netty.util.Transports): io_uring, else epoll, else NIO.
    private static ChannelFactory<? extends SocketChannel> channelFactory(boolean useNative, boolean useIoUring) {
        if (useNative && useIoUring && IoUring.isAvailable()) return IoUringSocketChannel::new;
        if (useNative && Epoll.isAvailable()) return EpollSocketChannel::new;
        return NioSocketChannel::new;
    }
}
