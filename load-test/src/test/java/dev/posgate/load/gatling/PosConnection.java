package dev.posgate.load.gatling;

import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One virtual terminal's persistent TCP connection. Like a real terminal it has at most one
 * request outstanding, so the next frame received answers it; the action then checks that the
 * response really matches (MTI and STAN). Everything runs on the channel's event loop.
 */
final class PosConnection extends ChannelInboundHandlerAdapter implements FrameSink {
    /** Session attribute holding the virtual user's connection. */
    static final String SESSION_KEY = "posgate.tcp.connection";

    /** Receives the outcome of one request; called once, on the event loop. */
    interface ResponseListener {
        void onResponse(byte[] body);

        void onFailure(String reason);
    }

    private final FrameDecoder decoder = new FrameDecoder(FrameLimits.defaults(), this);
    private Channel channel;
    private ResponseListener pending;
    private ScheduledFuture<?> timeout;

    // Not channelActive: Netty completes the connect promise (and so runs the next action) before
    // it fires channelActive, so the channel must be known from registration on.
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    boolean isOpen() {
        return channel != null && channel.isActive();
    }

    /** Sends one framed request; the listener hears the response, a timeout or a failure. */
    void send(byte[] frame, Duration responseTimeout, ResponseListener listener) {
        if (!isOpen()) {
            listener.onFailure("not connected");
            return;
        }
        if (pending != null) {
            listener.onFailure("a request is already outstanding");
            return;
        }
        pending = listener;
        timeout = channel.eventLoop().schedule(() -> fail("response timeout"), responseTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        channel.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(f -> {
            if (!f.isSuccess()) fail("write failed: " + f.cause());
        });
    }

    void close() {
        if (channel != null) channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            decoder.feed(bytes);
        } finally {
            buf.release();
        }
    }

    @Override
    public void onFrame(Family family, byte[] body) {
        ResponseListener listener = takePending();
        if (listener != null) listener.onResponse(body);
        // an unsolicited frame with nothing outstanding is ignored, as a terminal would
    }

    @Override
    public void onError(FrameError error) {
        fail("framing error " + error);
        channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("connection closed by peer");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
        ctx.close();
    }

    private void fail(String reason) {
        ResponseListener listener = takePending();
        if (listener != null) listener.onFailure(reason);
    }

    private ResponseListener takePending() {
        ResponseListener listener = pending;
        pending = null;
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        return listener;
    }
}
