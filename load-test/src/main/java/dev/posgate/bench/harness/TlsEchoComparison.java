package dev.posgate.bench.harness;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The throughput cost of TLS: one gateway process with its plain and its TLS listener (development
 * certificate, OpenSSL engine), driven by the same blocking generator ({@link BlockingEchoLoad}) in
 * alternating rounds: echo round trips/s on persistent connections, then connect-echo-close
 * transactions/s (a full TLS handshake each). The generator verifies the gateway's certificate
 * against the development CA the gateway wrote (data.dir/tls/ca.crt).
 *
 * <pre>java -cp load-test/target/benchmarks.jar dev.posgate.bench.harness.TlsEchoComparison \
 *     dev-tools/target/posgate-dev.jar [connections=50] [seconds=10] [rounds=2]</pre>
 */
public final class TlsEchoComparison {

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path work = Files.createTempDirectory("posgate-tls-bench-");
        int plainPort = EchoComparison.freePort();
        int tlsPort = EchoComparison.freePort();
        Map<String, String> env = new HashMap<>(EchoComparison.gatewayEnv(work, plainPort));
        env.put("POSGATE_LISTENER_TLS_PORT", String.valueOf(tlsPort));
        List<EchoLoad.Result> results = new ArrayList<>();
        try (ServerProcess gateway = ServerProcess.start(jar, EchoComparison.SERVER_JVM, List.of("serve"), env,
                work.resolve("gateway.log"))) {
            SocketFactory tls = tlsSockets(work.resolve("gateway-data").resolve("tls").resolve("ca.crt"));
            SocketFactory plain = SocketFactory.getDefault();
            for (int round = 1; round <= rounds; round++) {
                for (BlockingEchoLoad.Mode mode : BlockingEchoLoad.Mode.values()) {
                    results.add(measure("plain " + label(mode), plain, mode, plainPort, connections, seconds, round));
                    results.add(measure("TLS " + label(mode), tls, mode, tlsPort, connections, seconds, round));
                }
            }
        }
        System.out.println();
        System.out.println("| target | connections | per second | p50 µs | p99 µs | errors |");
        System.out.println("|---|---|---|---|---|---|");
        Map<String, Double> total = new LinkedHashMap<>();
        for (EchoLoad.Result r : results) {
            System.out.printf("| %s | %d | %.0f | %.0f | %.0f | %d |%n", r.target(), r.connections(), r.perSecond(),
                    r.p50Micros(), r.p99Micros(), r.errors());
            total.merge(r.target(), r.perSecond(), Double::sum);
        }
        System.out.println();
        for (BlockingEchoLoad.Mode mode : BlockingEchoLoad.Mode.values()) {
            System.out.printf("TLS / plain, %s = %.2f%n", label(mode),
                    total.get("TLS " + label(mode)) / total.get("plain " + label(mode)));
        }
    }

    private static String label(BlockingEchoLoad.Mode mode) {
        return mode == BlockingEchoLoad.Mode.PERSISTENT ? "echo round trips (persistent)" : "connect+echo+close";
    }

    private static EchoLoad.Result measure(String label, SocketFactory sockets, BlockingEchoLoad.Mode mode, int port,
            int connections, int seconds, int round) throws InterruptedException {
        EchoLoad.Result r = BlockingEchoLoad.run(label, sockets, mode, "127.0.0.1", port, connections,
                Duration.ofSeconds(3), Duration.ofSeconds(seconds));
        System.out.printf("round %d %-42s %8.0f/s p50 %6.0f µs p99 %7.0f µs errors %d%n", round, label,
                r.perSecond(), r.p50Micros(), r.p99Micros(), r.errors());
        return r;
    }

    /** TLS 1.2+ sockets that trust only {@code caPem} and check the gateway's address against its certificate. */
    static SocketFactory tlsSockets(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLSocketFactory factory = context.getSocketFactory();
        return new SocketFactory() {
            @Override
            public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
                SSLSocket s = (SSLSocket) factory.createSocket(host, port);
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                return s;
            }

            @Override
            public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                    throws java.io.IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
                    int localPort) throws java.io.IOException {
                throw new UnsupportedOperationException();
            }
        };
    }
}
