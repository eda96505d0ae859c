package dev.posgate.gateway.kms;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.crypto.Hex;
import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.platform.db.KeyRecord;
import dev.posgate.gateway.platform.db.KeyRepository;
import dev.posgate.gateway.support.Metrics;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.kms.KmsClient;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.kms.KmsTerminalSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The K-flow attacks of issue 13, performed over TCP against a gateway with the real PostgreSQL
 * and the software HSM: the reflection across two connections that replaced a TMK without the
 * AUK, a Rnd1 the KMS issued as an Rnd2, one RSA unwrap per TK however many K2s a stranger sends,
 * and the per-serial K2 rate. The rate window is an hour here so that "within the window" never
 * depends on how fast a loaded machine runs the test.
 */
class KFlowAttackIT {
    private static KmsFixture f;
    private static X509Certificate kmsCert;
    private static KeyRepository keys;

    @BeforeAll
    static void start() throws Exception {
        f = new KmsFixture(TestGateway.start(Map.of(Setting.KEY_RATE_WINDOW, 3600)));
        kmsCert = f.kmsCertificate();
        keys = new KeyRepository(f.gateway.app().database().pool());
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static KmsFixture.Device uploaded(String sn) throws Exception {
        return f.uploaded(sn, kmsCert);
    }

    /** The terminal downloads its TMK the honest way; answers the KCV now ACTIVE. */
    private static String downloaded(KmsFixture.Device d) throws Exception {
        TerminalLink link = f.link();
        try {
            return Hex.encode(Eventually.await(KmsClient.downloadTmk(link, d.sn, null, 1, d.vault)));
        } finally {
            link.close();
        }
    }

    private static String activeKcv(String sn) throws Exception {
        return Eventually.await(keys.active(KeyRecord.OwnerType.TERMINAL, sn, "TMK", 1)).map(KeyRecord::kcv).orElse(null);
    }

    private static TmsMessage k2(int seq, String sn, byte[] rnd1) {
        return TmsMessage.of(TmsHeader.request(TmsCode.K2, seq, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn),
                Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 1), Tlv.of(Tags.RND1, rnd1)));
    }

    private static TmsMessage k3(int seq, String sn, byte[] proof) {
        return TmsMessage.of(TmsHeader.request(TmsCode.K3, seq, false),
                List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn), Tlv.of(Tags.E_AUK_RND2, proof)));
    }

    private static TmsMessage k4(int seq, String sn, byte[] kcv) {
        return TmsMessage.of(TmsHeader.request(TmsCode.K4, seq, false), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, sn),
                Tlv.ofByte(Tags.PINPAD_KEY_INDEX, 1), Tlv.of(Tags.KCV, kcv)));
    }

    /**
     * Knowing only a serial: connection A's K2 yields the challenge Rnd2; sent as connection B's
     * Rnd1 it used to come back as E_AUK(Rnd2), exactly the answer A's K3 needed; K4 then only
     * repeats the KCV the K3 answer carries, and the terminal's TMK was replaced. Now B's K2 is
     * refused (that Rnd1 is an Rnd2 the KMS issued) and even the KMS-direction proof would not pass
     * as the terminal's; A's K3 is a 63 and the terminal's TMK stays ACTIVE.
     */
    @Test
    void reflectingRnd2ThroughASecondConnectionNoLongerReplacesTheTmk() throws Exception {
        KmsFixture.Device d = uploaded("SN-REFLECT");
        String victimKcv = downloaded(d);
        try (TerminalConnection a = f.gateway.connect(); TerminalConnection b = f.gateway.connect()) {
            TmsMessage started = f.exchange(a, k2(1, d.sn, RandomSource.secure().next(8)));
            assertEquals("00", started.header().status());
            byte[] rnd2 = started.require(Tags.RND2).valueOfLength(8);

            TmsMessage reflected = f.exchange(b, k2(1, d.sn, rnd2));
            assertEquals("63", reflected.header().status(), "an Rnd2 the KMS issued is refused as a Rnd1");
            assertNull(reflected.find(Tags.E_AUK_RND1), "nothing computed over the reflected random");
            assertTrue(b.closedByPeer(3000));

            // what the attacker would have forwarded (all it can put in DF24 without the AUK)
            byte[] forwarded = reflected.find(Tags.E_AUK_RND1) == null ? new byte[8] : reflected.find(Tags.E_AUK_RND1).value();
            TmsMessage finish = f.exchange(a, k3(2, d.sn, forwarded));
            assertEquals("63", finish.header().status());
            assertNull(finish.find(Tags.KCV));
            assertTrue(a.closedByPeer(3000));
        }
        assertEquals(victimKcv, activeKcv(d.sn), "the terminal's TMK is still the ACTIVE one");
        assertEquals(0, f.count("select count(*) from key_record where owner_id = $1 and state = 'PENDING'", d.sn));
        assertEquals(1, f.count("select count(*) from audit_log where subject = $1 and action = 'kms.tmk.activate'", d.sn));
    }

    /**
     * The second layer alone: with the issued Rnd2 gone from the replay window (as if another
     * database, or a pruning, had forgotten it), B's K2 is answered, but its DF23 is the KMS's
     * proof (variant 4B) and does not pass as the terminal's DF24 (variant 54) in A's K3.
     */
    @Test
    void aReflectedKmsProofDoesNotPassAsTheTerminalsEvenWhenTheWindowForgotTheRnd2() throws Exception {
        KmsFixture.Device d = uploaded("SN-REFLECT-2");
        String victimKcv = downloaded(d);
        try (TerminalConnection a = f.gateway.connect(); TerminalConnection b = f.gateway.connect()) {
            TmsMessage started = f.exchange(a, k2(1, d.sn, RandomSource.secure().next(8)));
            assertEquals("00", started.header().status());
            byte[] rnd2 = started.require(Tags.RND2).valueOfLength(8);
            assertEquals(1, f.count("with gone as (delete from replay_window where flow = 'kms' and owner = $1 and rnd = $2"
                    + " returning 1) select count(*) from gone", d.sn, io.vertx.core.buffer.Buffer.buffer(rnd2)));

            TmsMessage reflected = f.exchange(b, k2(1, d.sn, rnd2));
            assertEquals("00", reflected.header().status(), "the window no longer knows it");
            TmsMessage finish = f.exchange(a, k3(2, d.sn, reflected.require(Tags.E_AUK_RND1).valueOfLength(8)));
            assertEquals("63", finish.header().status(), "the KMS's proof is not the terminal's");
            assertTrue(a.closedByPeer(3000));
        }
        assertEquals(victimKcv, activeKcv(d.sn), "the terminal's TMK is still the ACTIVE one");
        assertEquals(0, f.count("select count(*) from key_record where owner_id = $1 and state = 'PENDING'", d.sn));
    }

    /**
     * A Rnd1 the window has seen for the serial is refused, whether a terminal sent it as Rnd1
     * before or the KMS issued it as an Rnd2 (in a download that completed, too); each refusal is
     * counted as a replay.
     */
    @Test
    void aRnd1SeenBeforeOrIssuedAsAnRnd2IsA63() throws Exception {
        KmsFixture.Device d = uploaded("SN-RND-WINDOW");
        byte[] rnd1 = RandomSource.secure().next(8);
        byte[] rnd2;
        try (TerminalConnection c = f.gateway.connect()) {
            TmsMessage r = f.exchange(c, k2(1, d.sn, rnd1));
            assertEquals("00", r.header().status());
            rnd2 = r.require(Tags.RND2).valueOfLength(8);
        }
        double before = Metrics.value(f.gateway, "posgate_replays_refused_total{window=\"kms_random\"}");
        for (byte[] seen : List.of(rnd1, rnd2)) {
            try (TerminalConnection c = f.gateway.connect()) {
                assertEquals("63", f.exchange(c, k2(1, d.sn, seen)).header().status());
            }
        }
        assertEquals(before + 2, Metrics.value(f.gateway, "posgate_replays_refused_total{window=\"kms_random\"}"));

        // an honest download afterwards still completes, and its Rnd2 is then refused as a Rnd1 as well
        RecordingSession s = new RecordingSession(d);
        assertNotNull(s.run());
        try (TerminalConnection c = f.gateway.connect()) {
            assertEquals("63", f.exchange(c, k2(1, d.sn, s.rnd2)).header().status());
        }
    }

    /**
     * Every K2 used to cost an RSA private-key operation (ZI) for anyone who knows a serial with a
     * TK on file. Now the first K2 opens the TK block and keeps TEK and AUK under the LMK: three K2s
     * and a complete download cost one ZI between them.
     */
    @Test
    void severalK2sForOneSerialCostOneRsaUnwrap() throws Exception {
        KmsFixture.Device d = uploaded("SN-ONE-ZI");
        double before = rsaUnwraps();
        for (int i = 0; i < 3; i++) {
            try (TerminalConnection c = f.gateway.connect()) {
                assertEquals("00", f.exchange(c, k2(1, d.sn, RandomSource.secure().next(8))).header().status());
            }
        }
        String kcv = downloaded(d);
        assertEquals(kcv, activeKcv(d.sn), "the flow completes with the kept keys");
        assertEquals(before + 1, rsaUnwraps(), "one ZI for four K2s");
        assertEquals(1, f.count("select count(*) from kms_transmission_key where sn = $1 and tek_lmk is not null"
                + " and auk_lmk is not null", d.sn));
    }

    /** K2 per serial: six within the window, the seventh answered 12, counted, not audited. */
    @Test
    void theSeventhK2ForASerialWithinTheWindowIsA12() throws Exception {
        KmsFixture.Device d = uploaded("SN-K2-RATE");
        double refusedBefore = Metrics.value(f.gateway, "posgate_rate_limited_total{flow=\"kms_k2\"}");
        long auditBefore = f.count("select count(*) from audit_log where subject = $1", d.sn);
        try (TerminalConnection c = f.gateway.connect()) {
            for (int i = 1; i <= 6; i++) {
                assertEquals("00", f.exchange(c, k2(i, d.sn, RandomSource.secure().next(8))).header().status(), "K2 " + i);
            }
            assertEquals("12", f.exchange(c, k2(7, d.sn, RandomSource.secure().next(8))).header().status());
            assertEquals("12", f.exchange(c, k2(8, d.sn, RandomSource.secure().next(8))).header().status());
        }
        assertEquals(refusedBefore + 2, Metrics.value(f.gateway, "posgate_rate_limited_total{flow=\"kms_k2\"}"));
        assertEquals(auditBefore, f.count("select count(*) from audit_log where subject = $1", d.sn), "no audit row per refusal");
        KmsFixture.Device other = uploaded("SN-K2-RATE-OTHER");
        assertNotNull(downloaded(other), "another serial is not held back");
    }

    /** Sum of the ZI round trips the gateway's HSM pool recorded, from /metrics. */
    private static double rsaUnwraps() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + f.gateway.adminPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("hsm_request_seconds_count{") && line.contains("command=\"ZI\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** An honest download that remembers the Rnd2 the KMS issued. */
    private static final class RecordingSession {
        final KmsFixture.Device d;
        byte[] rnd2;

        RecordingSession(KmsFixture.Device d) {
            this.d = d;
        }

        byte[] run() throws Exception {
            try (TerminalConnection c = f.gateway.connect()) {
                KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, RandomSource.secure());
                TmsMessage k2Reply = f.exchange(c, s.k2());
                rnd2 = k2Reply.require(Tags.RND2).valueOfLength(8);
                TmsMessage k4 = s.onK3(f.exchange(c, s.onK2(k2Reply)));
                s.onK4(f.exchange(c, k4));
                return s.kcv();
            }
        }
    }
}
