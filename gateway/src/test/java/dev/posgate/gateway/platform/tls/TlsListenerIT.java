package dev.posgate.gateway.platform.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.ca.CertificateAuthority;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.net.TerminalTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS terminal listener over real TCP, with client certificates required: the terminal's
 * {@link TerminalLink} with a certificate from the terminal TLS CA gets its echo answered; one
 * without a certificate, or with one from another CA, is refused; a terminal refuses a gateway
 * certificate it cannot verify; the plain listener keeps serving beside it.
 */
class TlsListenerIT {
    static TestGateway gateway;
    static Vertx vertx;
    static Path dir;
    static Path caPem;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(Map.of(
                Setting.LISTENER_TLS_PORT, freePort(),
                Setting.LISTENER_TLS_CLIENT_AUTH, "required",
                Setting.LISTENER_INSTANCES, 1));
        vertx = Vertx.vertx();
        dir = Files.createTempDirectory(Path.of("target"), "tls-terminal-");
        caPem = TlsMaterial.devDir(gateway.app().config()).resolve("ca.crt");
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (gateway != null) gateway.close();
    }

    @Test
    void terminalWithCertificateFromTheTerminalCaGetsItsEchoOverTls() throws Exception {
        CertificateAuthority ca = TlsMaterial.developmentCa(TlsMaterial.devDir(gateway.app().config()));
        TerminalTls tls = terminalWithCertificateFrom(ca, "TERM0001");
        TerminalLink link = await(TerminalLink.connect(vertx, "127.0.0.1", gateway.app().tlsPort(), Duration.ofSeconds(5), tls));
        try {
            for (String stan : List.of("000101", "000102")) {
                PosMessage reply = PosMessage.unpack(await(link.request(Frames.echoRequest(stan))));
                assertEquals("0830", reply.mti());
                assertEquals(stan, reply.field(11));
                assertEquals("00", reply.field(39));
            }
        } finally {
            await(link.close());
        }
        assertTrue(metrics().contains("posgate_tls_listener{engine=\"openssl"),
                "the OpenSSL engine loads on Linux x86_64 and /metrics names it");
    }

    @Test
    void terminalWithoutCertificateIsRefused() throws Exception {
        assertRefused(TerminalTls.trusting(caPem));
    }

    @Test
    void terminalWithCertificateFromAnotherCaIsRefused() throws Exception {
        CertificateAuthority rogue = CertificateAuthority.createRoot("rogue CA", 1);
        assertRefused(terminalWithCertificateFrom(rogue, "TERM0002"));
    }

    @Test
    void terminalRefusesAGatewayCertificateFromACaItDoesNotTrust() throws Exception {
        CertificateAuthority ca = TlsMaterial.developmentCa(TlsMaterial.devDir(gateway.app().config()));
        Path otherCa = dir.resolve("other-ca.crt");
        Files.writeString(otherCa, TlsMaterial.pem(CertificateAuthority.createRoot("other CA", 1).root()));
        TerminalTls trusted = terminalWithCertificateFrom(ca, "TERM0003");
        TerminalTls tls = TerminalTls.trusting(otherCa).withClientCertificate(trusted.certPem(), trusted.keyPem());
        ExecutionException e = assertThrows(ExecutionException.class, () ->
                await(TerminalLink.connect(vertx, "127.0.0.1", gateway.app().tlsPort(), Duration.ofSeconds(5), tls)));
        assertTrue(e.getCause() instanceof SSLHandshakeException, "server authentication fails: " + e.getCause());
    }

    @Test
    void plainListenerServesBesideTheTlsOneAndDoesNotSpeakTls() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            assertEquals("000201", PosMessage.unpack(t.exchange(Frames.echoRequest("000201"))).field(11));
        }
        // a plain frame sent to the TLS port is not a ClientHello: no ISO8583 answer, at most a TLS alert
        try (Socket s = new Socket("127.0.0.1", gateway.app().tlsPort())) {
            s.setSoTimeout(1500);
            s.getOutputStream().write(frame(Frames.echoRequest("000202")));
            int first;
            try {
                first = s.getInputStream().read();
            } catch (SocketTimeoutException silent) {
                first = -1;
            }
            assertTrue(first == -1 || first == 0x15, "nothing but a TLS alert (record type 21) comes back, got " + first);
        }
    }

    private static void assertRefused(TerminalTls tls) throws Exception {
        // with TLS 1.3 the client's handshake may finish before the server checks its certificate,
        // so the refusal shows either at connect or as a closed connection on the first request
        ExecutionException e = assertThrows(ExecutionException.class, () -> {
            TerminalLink link = await(TerminalLink.connect(vertx, "127.0.0.1", gateway.app().tlsPort(), Duration.ofSeconds(5), tls));
            await(link.request(Frames.echoRequest("000301")));
        });
        assertFalse(String.valueOf(e.getCause()).contains("no answer within"), "refused at once, not left hanging: " + e.getCause());
    }

    /** A terminal trusting the gateway's CA, with a key pair and a certificate from {@code ca} (PEM files). */
    private static TerminalTls terminalWithCertificateFrom(CertificateAuthority ca, String terminalId) throws IOException {
        KeyPair kp = CertificateAuthority.rsa2048();
        Path cert = dir.resolve(terminalId + ".crt");
        Path key = dir.resolve(terminalId + ".key");
        Files.writeString(cert, TlsMaterial.pem(ca.issueTls(terminalId, kp.getPublic(), false, List.of(), 30)));
        Files.writeString(key, TlsMaterial.pem(new JcaPKCS8Generator(kp.getPrivate(), null)));
        return TerminalTls.trusting(caPem).withClientCertificate(cert, key);
    }

    private static byte[] frame(byte[] body) {
        byte[] f = new byte[body.length + 2];
        f[0] = (byte) (body.length >> 8);
        f[1] = (byte) body.length;
        System.arraycopy(body, 0, f, 2, body.length);
        return f;
    }

    private static String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
