package dev.posgate.gateway.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.kms.KeyLoaderClient;
import dev.posgate.terminal.kms.KmsClient;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.kms.KmsTerminalSession;
import dev.posgate.protocol.loader.LoaderTerminalSession;
import dev.posgate.protocol.pki.CertificateVerifier;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue 13, over real TCP: seqs, the sealed flag and serial character sets on the K and L flows. */
class KeyFlowHygieneIT {
    private static KmsFixture f;
    private static X509Certificate kmsCert;

    @BeforeAll
    static void start() throws Exception {
        f = new KmsFixture(TestGateway.start(Map.of()));
        kmsCert = f.kmsCertificate();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static TmsMessage withSeq(TmsMessage m, long seq) {
        return TmsMessage.of(TmsHeader.request(m.header().tmsCode(), seq, false), m.tlvs());
    }

    private static String status(TerminalConnection c, TmsMessage m) throws Exception {
        return f.exchange(c, m).header().status();
    }

    /** Was: K2, K3 and K4 all with one seq were answered 00 (protocol.md: a repeated seq is 94). */
    @Test
    void aRepeatedSeqWithinTheKFlowIs94AndTheFlowGoesOnWithAFreshOne() throws Exception {
        KmsFixture.Device d = f.uploaded("SN-SEQ-K", kmsCert);
        try (TerminalConnection c = f.gateway.connect()) {
            KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, RandomSource.secure());
            TmsMessage k2Answer = f.exchange(c, withSeq(s.k2(), 7));
            assertEquals("00", k2Answer.header().status());
            TmsMessage k3 = s.onK2(k2Answer);
            assertEquals("94", status(c, withSeq(k3, 7)), "K3 repeating K2's seq");
            TmsMessage k3Answer = f.exchange(c, withSeq(k3, 8));
            assertEquals("00", k3Answer.header().status(), "the refused repeat did not disturb the flow");
            TmsMessage k4 = s.onK3(k3Answer);
            assertEquals("94", status(c, withSeq(k4, 8)), "K4 repeating K3's seq");
            assertEquals("00", status(c, withSeq(k4, 9)));
        }
    }

    /**
     * Our terminal runs K1, K2-K4 and then L1 on one link: its seqs come from one counter, so none
     * repeats (L2 and L3 are served by the key-loading listener only, so the L-flow stops at L1
     * here: its answer is the certificate, not a 94).
     */
    @Test
    void theTerminalLibraryRunsEveryFlowOnOneLinkWithoutARepeatedSeq() throws Exception {
        KmsFixture.Device d = f.uploaded("SN-SEQ-LINK", kmsCert);
        TerminalLink link = f.link();
        try {
            Eventually.await(KmsClient.certificate(link, d.sn, f.rootVerifier));
            Eventually.await(KmsClient.downloadTmk(link, d.sn, null, 1, d.vault));
            LoaderTerminalSession loader = new LoaderTerminalSession(d.sn, 2,
                    CertificateVerifier.trusting(f.ca.acquirer("ACQ001").root()), KeyLoaderClient.slot(d.pinPad), RandomSource.secure());
            TmsMessage l1Answer = TmsMessage.unpack(Eventually.await(link.request(loader.l1().pack())));
            assertEquals("00", l1Answer.header().status(), "L1 after the K-flow on the same link");
        } finally {
            link.close();
        }
    }

    @Test
    void twoK1OrTwoL1WithOneSeqAre94() throws Exception {
        try (TerminalConnection c = f.gateway.connect()) {
            TmsMessage k1 = TmsMessage.of(TmsHeader.request(TmsCode.K1, 1, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-SEQ-1")));
            assertEquals("00", status(c, k1));
            assertEquals("94", status(c, k1));
            TmsMessage l1 = TmsMessage.of(TmsHeader.request(TmsCode.L1, 2, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-SEQ-1")));
            assertEquals("00", status(c, l1));
            assertEquals("94", status(c, l1));
        }
    }

    /** Was: 96 and an ERROR with a stack trace (the handler read TLVs from a sealed body). */
    @Test
    void theSealedFlagOnACodeWithoutASealedFormIs30WithoutAnError() throws Exception {
        List<ILoggingEvent> errors = new ArrayList<>();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected synchronized void append(ILoggingEvent e) {
                if (e.getLevel().isGreaterOrEqual(Level.WARN)) errors.add(e);
            }
        };
        capture.setContext(context);
        capture.start();
        root.addAppender(capture);
        try (TerminalConnection c = f.gateway.connect()) {
            long seq = 1;
            for (TmsCode code : List.of(TmsCode.H1, TmsCode.H2, TmsCode.K1, TmsCode.K2, TmsCode.K3, TmsCode.K4,
                    TmsCode.L1, TmsCode.L2, TmsCode.L3)) {
                TmsMessage sealed = TmsMessage.sealed(TmsHeader.request(code, seq++, true), new byte[TmsMessage.MIN_SEALED]);
                // L2 and L3 have no handler on the terminal port (the key-loading listener serves them): 12
                String expected = code == TmsCode.L2 || code == TmsCode.L3 ? "12" : "30";
                assertEquals(expected, status(c, sealed), code.name());
            }
        } finally {
            root.detachAppender(capture);
        }
        synchronized (capture) {
            assertEquals(List.of(), errors.stream().map(ILoggingEvent::getFormattedMessage).toList());
        }
    }

    /** Was: 96 with a PostgreSQL error (NUL) and log lines a CR/LF could forge. */
    @Test
    void controlCharactersInASerialAreAFormatError() throws Exception {
        try (TerminalConnection c = f.gateway.connect()) {
            long seq = 1;
            for (String sn : List.of("SN\u0000NUL", "SN\r\nFORGED")) {
                assertEquals("30", status(c, TmsMessage.of(TmsHeader.request(TmsCode.K1, seq++, false),
                        List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn)))), "K1 " + sn);
                assertEquals("30", status(c, TmsMessage.of(TmsHeader.request(TmsCode.K2, seq++, false), List.of(
                        Tlv.ofAscii(Tags.SERIAL_NUMBER, sn), Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 1), Tlv.of(Tags.RND1, new byte[8])))),
                        "K2 " + sn);
                assertEquals("30", status(c, TmsMessage.of(TmsHeader.request(TmsCode.K2, seq++, false), List.of(
                        Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN-OK"), Tlv.ofAscii(Tags.PINPAD_SERIAL_NUMBER, sn),
                        Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 1), Tlv.of(Tags.RND1, new byte[8])))), "K2 PIN pad " + sn);
                assertEquals("30", status(c, TmsMessage.of(TmsHeader.request(TmsCode.L1, seq++, false),
                        List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn)))), "L1 " + sn);
            }
        }
    }
}
