package dev.posgate.gateway.platform.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.posgate.testing.Eventually.await;

import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.RsaKeyPair;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.Wrapping;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 probe: the bundled software HSM accepted anyone on loopback, with clear components
 * enabled, so any local process could ZW a key it knows and A8 every TMK out under it. Now a host
 * must present the gateway's client certificate (mutual TLS), ZW is off unless
 * hsm.sim.clear.components says so, and key export/import under a caller's key needs the
 * authorised state, even for a client holding the gateway's certificate.
 */
class BundledHsmHardeningIT {
    private static final String HEADER = "0001";
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        // RSA key generation (EI) at start-up takes seconds on a loaded machine
        gateway = TestGateway.start(Map.of(Setting.DB_URL, "", Setting.HSM_TIMEOUT, 30_000));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @Test
    void aClientWithoutTheGatewaysCertificateGetsNoReply() throws Exception {
        int port = gateway.app().hsmLink().embeddedPort();
        assertTrue(port > 0, "the bundled HSM runs");
        for (String command : new String[] {"NC", "A00002U", "ZW002U2" + "0".repeat(64)}) {
            // clear TCP, as in the probe: at most a TLS alert, never a reply (which echoes the header)
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                send(s.getOutputStream(), command);
                String reply = new String(readToEnd(s.getInputStream()), StandardCharsets.ISO_8859_1);
                assertFalse(reply.contains(HEADER), command + ": the HSM answered a client in clear");
            }
            // TLS trusting anything, but without a client certificate: the handshake fails
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trustAll()}, null);
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                assertThrows(IOException.class, () -> {
                    s.startHandshake();
                    send(s.getOutputStream(), command);
                    // TLS 1.3: the server's refusal of the missing certificate arrives on the first read
                    if (s.getInputStream().read() == -1) throw new SSLException("closed without a reply");
                }, command + ": the HSM served a TLS client without a certificate");
            }
        }
        // the gateway, with its certificate, is served
        assertFalse(await(gateway.app().hsmLink().hsm().diagnostics()).lmkCheckValue().isEmpty());
    }

    @Test
    void clearComponentsAreOffByDefault() {
        Hsm hsm = gateway.app().hsmLink().hsm();
        byte[] c1 = Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] c2 = Parity.adjustOdd(RandomSource.secure().next(16));
        assertHsmError(HsmErrors.COMMAND_DISABLED, hsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.U, c1, c2));
    }

    @Test
    void eiGiA8CannotExportATmkUnderTheCallersKey() throws Exception {
        Hsm hsm = gateway.app().hsmLink().hsm();
        KeyWithKcv tmk = await(hsm.generateKey(KeyType.TMK));
        RsaKeyPair mine = await(hsm.generateRsaKeyPair(RsaKeyUsage.KEY_MANAGEMENT, 1024));
        byte[] zmk = Parity.adjustOdd(RandomSource.secure().next(16));
        assertHsmError(HsmErrors.NOT_AUTHORISED, hsm.importKeyUnderRsa(KeyType.ZMK, KeyScheme.U, mine.privateKey(),
                Rsa.oaepEncrypt(Rsa.decodePublicKey(mine.publicKeyDer()), zmk)));
        assertHsmError(HsmErrors.NOT_AUTHORISED, hsm.exportKey(KeyType.TMK, Wrapping.ZMK,
                await(hsm.generateKey(KeyType.ZMK)).key(), tmk.key()));
    }

    private static void assertHsmError(String code, Future<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
        assertInstanceOf(HsmException.class, e.getCause());
        assertEquals(code, ((HsmException) e.getCause()).errorCode(), e.getCause().getMessage());
    }

    private static void send(OutputStream out, String command) throws IOException {
        byte[] frame = (HEADER + command).getBytes(StandardCharsets.ISO_8859_1);
        out.write(new byte[] {(byte) (frame.length >> 8), (byte) frame.length});
        out.write(frame);
        out.flush();
    }

    /** Everything the server sends until it closes (a reset counts as closed). */
    private static byte[] readToEnd(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            in.transferTo(got);
        } catch (IOException reset) {
            // closed by the server
        }
        return got.toByteArray();
    }

    private static X509TrustManager trustAll() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

}
