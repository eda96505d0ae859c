package dev.posgate.load.gatling;

import io.gatling.core.config.GatlingConfiguration;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Opens terminal connections on Gatling's own Netty event loops. A channel is registered with
 * the virtual user's event loop (the loop of {@code CoreComponents.eventLoopGroup()} its Session
 * is bound to), so the user's actions and the connection's callbacks run on the same thread and
 * never need a lock or a hand-off. Over TLS, Gatling's Netty {@link SslHandler} sits in front of
 * the connection (OpenSSL from Gatling's netty-tcnative when it loads, the JDK's engine
 * otherwise) and the connection counts as open once the handshake is done.
 */
final class PosConnector {
    private final PosTcpProtocol protocol;
    private final ChannelFactory<? extends SocketChannel> channelFactory;
    private final SslContext ssl;

    PosConnector(PosTcpProtocol protocol, GatlingConfiguration configuration) {
        this.protocol = protocol;
        this.channelFactory = channelFactory(configuration.netty().useNativeTransport(),
                configuration.netty().useIoUring());
        this.ssl = protocol.tlsTrust() == null ? null : sslContext(protocol);
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
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) ch.pipeline().addLast(ssl.newHandler(ch.alloc(), protocol.host(), protocol.port()));
                        ch.pipeline().addLast(connection);
                    }
                })
                .connect(protocol.host(), protocol.port());
        future.addListener(f -> {
            if (!f.isSuccess()) {
                onFailed.accept(f.cause());
                return;
            }
            SslHandler tls = future.channel().pipeline().get(SslHandler.class);
            if (tls == null) {
                onConnected.accept(connection);
                return;
            }
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) onConnected.accept(connection);
                else onFailed.accept(h.cause());
            });
        });
    }

    /** The TLS engine in use ("OpenSSL ..." or "JDK"), for the report. */
    static String tlsEngine() {
        return OpenSsl.isAvailable() ? "OpenSSL " + OpenSsl.versionString() : "JDK";
    }

    // Hostname verification as HTTPS does: the development certificate names 127.0.0.1 and localhost.
    private static SslContext sslContext(PosTcpProtocol protocol) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .trustManager(protocol.tlsTrust().toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
        } catch (SSLException e) {
            throw new UncheckedIOException(new IOException("TLS context for " + protocol.tlsTrust() + ": " + e.getMessage(), e));
        }
    }

    // The channel class must match the IoHandler of Gatling's event loop group, which Gatling picks
    // from the same two settings (io.gatling.netty.util.Transports): io_uring, else epoll, else NIO.
    private static ChannelFactory<? extends SocketChannel> channelFactory(boolean useNative, boolean useIoUring) {
        if (useNative && useIoUring && IoUring.isAvailable()) return IoUringSocketChannel::new;
        if (useNative && Epoll.isAvailable()) return EpollSocketChannel::new;
        return NioSocketChannel::new;
    }
}
