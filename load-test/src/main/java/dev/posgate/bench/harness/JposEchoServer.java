package dev.posgate.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOServer;
import org.jpos.iso.ISOSource;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.header.BaseHeader;
import org.jpos.iso.packager.GenericPackager;
import org.jpos.util.ThreadPool;

/**
 * The jPOS baseline of the echo comparison: jPOS's ISOServer (the server inside Q2's QServer
 * bean, without the Q2 deployer) with a NACChannel, i.e. the same 2-byte binary length framing,
 * an 11-byte header (TPDU + application header) and a GenericPackager of protocol.md's field
 * table. Answers 0820 with 0830, field 39 = 00, TPDU addresses swapped. One thread per
 * connection, as jPOS's blocking channels work. Loopback only.
 *
 * <pre>java -cp load-test/target/benchmarks.jar dev.posgate.bench.harness.JposEchoServer PORT</pre>
 */
public final class JposEchoServer {
    private static final int HEADER_LENGTH = 11;

    private JposEchoServer() {
    }

    @SuppressWarnings("deprecation") // jPOS 2.1's ISOServer takes only its own (deprecated) ThreadPool
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int maxThreads = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        GenericPackager packager = packager();
        NACChannel channel = new NACChannel(packager, new byte[HEADER_LENGTH]);
        ISOServer server = new ISOServer(port, channel, new ThreadPool(1, maxThreads, "jpos-echo"));
        // A socket factory rather than a Configuration: jPOS's SimpleConfiguration needs SnakeYAML,
        // which the exclusions keep off the class path.
        server.setSocketFactory(p -> new ServerSocket(p, 1024, InetAddress.getLoopbackAddress()));
        server.addISORequestListener(JposEchoServer::answer);
        Thread serving = new Thread(server, "jpos-echo-server");
        serving.start();
        awaitListening(port);
        System.out.println("posgate ready (jPOS ISOServer echo on 127.0.0.1:" + port + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        serving.join();
    }

    private static boolean answer(ISOSource source, ISOMsg request) {
        try {
            ISOMsg response = (ISOMsg) request.clone();
            response.setResponseMTI();
            response.set(39, "00");
            response.setHeader(new BaseHeader(swapTpdu(request.getHeader())));
            source.send(response);
            return true;
        } catch (ISOException | IOException e) {
            return false;
        }
    }

    // TPDU = 60 | destination(2) | source(2): the answer goes back to where the request came from.
    private static byte[] swapTpdu(byte[] header) {
        byte[] h = header.clone();
        System.arraycopy(header, 1, h, 3, 2);
        System.arraycopy(header, 3, h, 1, 2);
        return h;
    }

    private static GenericPackager packager() throws ISOException, IOException {
        try (InputStream xml = JposEchoServer.class.getResourceAsStream("/cup-pos-generic-packager.xml")) {
            return new GenericPackager(xml);
        }
    }

    // ISOServer binds inside run(); the harness waits for the ready line, so print it only once
    // a connection is accepted.
    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("jPOS server did not listen on " + port);
    }
}
