package dev.posgate.gateway.support;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Run as its own process (a process has at most 20,000 descriptors here, so the client side
 * of a 10,000-connection storm cannot share the gateway's JVM): opens {@code count}
 * connections at once without blocking, then drops them all with a reset. Prints
 * {@code connected=N failed=M}.
 */
public final class ConnectionStorm {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<SocketChannel> channels = new ArrayList<>(count);
        int connected = 0;
        int failed = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                channels.add(ch);
                if (ch.connect(new InetSocketAddress(host, port))) connected++;
                else ch.register(selector, SelectionKey.OP_CONNECT);
            }
            while (connected + failed < count && System.nanoTime() < deadline) {
                if (selector.select(1000) == 0) continue;
                for (SelectionKey k : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    try {
                        if (ch.finishConnect()) {
                            connected++;
                            k.cancel();
                        }
                    } catch (Exception e) {
                        failed++;
                        k.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        for (SocketChannel ch : channels) ch.close(); // SO_LINGER 0: each close is a reset
        System.out.println("connected=" + connected + " failed=" + failed);
    }
}
