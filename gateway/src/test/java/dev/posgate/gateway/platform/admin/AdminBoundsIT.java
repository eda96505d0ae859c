package dev.posgate.gateway.platform.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13: what an unauthenticated client of the admin port can make the gateway hold. */
class AdminBoundsIT {
    static TestGateway gateway;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(Map.of(Setting.ADMIN_HEADER_TIMEOUT, 2, Setting.ADMIN_IDLE_TIMEOUT, 60));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private static int send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long httpSeries() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith("vertx_http_server")).count();
    }

    /** Was: each made-up method a new series (20,000 requests: +60 MB heap, a 15 MB /metrics). */
    @Test
    void randomMethodsAndPathsLeaveTheNumberOfSeriesUnchanged() throws Exception {
        // one of each kind first, so that the series they legitimately create exist
        assertEquals(404, send("FOO", "/warm-up"));
        assertEquals(404, send("GET", "/warm-up"));
        httpSeries();
        long before = httpSeries();
        Random random = new Random(13);
        for (int i = 0; i < 2000; i++) {
            StringBuilder method = new StringBuilder();
            for (int j = 0; j < 6; j++) method.append((char) ('A' + random.nextInt(26)));
            int status = send(method.toString(), "/x" + random.nextInt(1_000_000));
            assertTrue(status == 404 || status == 405 || status == 501, "status " + status);
        }
        long after = httpSeries();
        System.out.println("AdminBoundsIT: vertx_http_server series before " + before + ", after 2000 random requests " + after);
        assertEquals(before, after);
    }

    /**
     * A client that sends its headers a byte at a time (slowloris) is closed at the header deadline,
     * on a fresh connection and on a kept-alive one after a first request was answered.
     */
    @Test
    void aSlowHeaderClientIsClosedAtTheDeadline() throws Exception {
        dribble(false);
        dribble(true);
    }

    private static void dribble(boolean afterAFirstRequest) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", gateway.adminPort()));
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            if (afterAFirstRequest) {
                out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(30_000);
                byte[] head = new byte[12];
                int n = 0;
                while (n < head.length) n += in.read(head, n, head.length - n);
                assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
                s.setSoTimeout(500);
                while (true) { // drain the rest of the response
                    try {
                        if (in.read() == -1) break;
                    } catch (SocketTimeoutException drained) {
                        break;
                    }
                }
            }
            s.setSoTimeout(500);
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            // one header byte per half second keeps the idle timeout (60 s) from ever firing; stop after 60 s
            for (int i = 0; i < 120 && !closed; i++) {
                try {
                    out.write('X');
                    out.flush();
                    closed = in.read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // the read waited half a second: the pace of the dribble
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "the connection was closed while its headers were incomplete (after a first request: "
                    + afterAFirstRequest + ")");
        }
        assertEquals(200, send("GET", "/health"), "other clients are served");
    }
}
