package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import dev.posgate.gateway.platform.logging.EscapingMessageConverter;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.pos.PosMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 13: identifiers from the terminal port are checked to their character sets at the edge. A
 * NUL in a TID reached PostgreSQL (96 and a database error); a CR/LF in one forged a log line.
 */
class IdentifierHygieneIT {
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    /** A sign-on 0800 (60.3 = 003) from {@code tid} (8 bytes), built from the echo request's layout. */
    private static byte[] signOn(byte[] tid) {
        byte[] b = Frames.echoRequest("000001");
        byte[] echoTid = "TERM0001".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(b, echoTid);
        System.arraycopy(tid, 0, b, at, 8);
        b[12] = 0x00; // MTI 0820 -> 0800
        b[b.length - 2] = 0x00; // 60.3 301 -> 003
        b[b.length - 1] = 0x30;
        return b;
    }

    private static int indexOf(byte[] b, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= b.length; i++) {
            for (int j = 0; j < part.length; j++) if (b[i + j] != part[j]) continue outer;
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    @Test
    void aNulInTheTidIsAFormatErrorThatNeverReachesTheDatabase() throws Exception {
        try (TerminalConnection t = gateway.connect()) {
            PosMessage r = PosMessage.unpack(t.exchange(signOn("TERM\u0000001".getBytes(StandardCharsets.ISO_8859_1))));
            assertEquals("0810", r.mti());
            assertEquals("30", r.field(39), "was 96: the NUL reached PostgreSQL");
            assertNull(r.field(41), "the bad TID is not echoed");
            // a well-formed TID on the same connection still reaches the sign-on handler (unknown terminal: 97)
            PosMessage ok = PosMessage.unpack(t.exchange(signOn("TERM0099".getBytes(StandardCharsets.US_ASCII))));
            assertEquals("97", ok.field(39));
        }
    }

    @Test
    void aCrLfInTheTidCannotForgeALogLine() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // what the operator sees: the events rendered by the configured console encoder (logback.xml)
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("STDOUT");
        List<String> rendered = new ArrayList<>();
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected synchronized void append(ILoggingEvent e) {
                rendered.add(new String(console.getEncoder().encode(e), StandardCharsets.UTF_8));
            }
        };
        capture.setContext(context);
        capture.start();
        root.addAppender(capture);
        try (TerminalConnection t = gateway.connect()) {
            PosMessage r = PosMessage.unpack(t.exchange(signOn("T\r\nFORGE".getBytes(StandardCharsets.US_ASCII))));
            assertEquals("30", r.field(39));
        } finally {
            root.detachAppender(capture);
        }
        List<String> lines;
        synchronized (capture) {
            lines = List.copyOf(rendered);
        }
        String refusal = lines.stream().filter(l -> l.contains("not printable ASCII")).findFirst().orElseThrow();
        assertTrue(refusal.contains("T\\r\\nFORGE"), refusal);
        assertEquals(1, refusal.split("\n", -1).length - 1, "one line, ended by the pattern's own newline: " + refusal);
        for (String l : lines) assertFalse(l.startsWith("FORGE"), l);
    }

    @Test
    void theConverterEscapesEveryControlCharacter() {
        assertEquals("a\\r\\nb\\t\\u0000\\u001b\\u2028c", EscapingMessageConverter.escape("a\r\nb\t\u0000\u001b\u2028c"));
        String plain = "TID TERM0001 signed on";
        assertTrue(plain == EscapingMessageConverter.escape(plain), "nothing copied when nothing needs escaping");
    }
}
