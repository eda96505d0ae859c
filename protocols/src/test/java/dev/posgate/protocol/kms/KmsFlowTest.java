package dev.posgate.protocol.kms;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.crypto.AukProof;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both K-flow state machines without sockets. The host's keys are clear byte arrays here, standing
 * in for the HSM handles the gateway uses.
 */
class KmsFlowTest {
    private final RandomSource random = RandomSource.secure();
    private final byte[] tek = random.next(16);
    private final byte[] auk = random.next(16);
    private byte[] installed;

    private final TransmissionKeyDevice device = new TransmissionKeyDevice() {
        @Override
        public boolean kmsProofMatches(byte[] rnd1, byte[] proof) {
            return AukProof.matches(AukProof.Direction.KMS, auk, rnd1, proof);
        }

        @Override
        public byte[] terminalProof(byte[] rnd2) {
            return AukProof.of(AukProof.Direction.TERMINAL, auk, rnd2);
        }

        @Override
        public boolean installTmk(int keyIndex, byte[] ctmk, byte[] kcv) {
            byte[] clear = Tdes.decryptEcb(tek, ctmk);
            if (!Arrays.equals(Kcv.of(clear, 4), kcv)) return false;
            installed = clear;
            return true;
        }
    };

    private TmsMessage answer(TmsMessage request, List<Tlv> body) {
        return request.respond("00", body);
    }

    @Test
    void fullDownloadInstallsTheTmkTheHostIssued() {
        KmsTerminalSession terminal = new KmsTerminalSession("SN1", null, 1, device, random);
        KmsHostSession<byte[]> host = new KmsHostSession<>();

        TmsMessage k2 = terminal.k2();
        KmsRequests.K2 r2 = KmsRequests.k2(TmsMessage.unpack(k2.pack()));
        byte[] rnd2 = random.next(8);
        host.started(new KmsHostSession.Started<>(r2.sn(), r2.keyIndex(), tek, auk, rnd2));
        TmsMessage k3 = terminal.onK2(answer(k2, List.of(Tlv.of(Tags.E_AUK_RND1, AukProof.of(AukProof.Direction.KMS, auk, r2.rnd1())),
                Tlv.of(Tags.RND2, rnd2))));

        KmsRequests.K3 r3 = KmsRequests.k3(TmsMessage.unpack(k3.pack()));
        KmsHostSession.Started<byte[]> s = host.takeStarted(r3.sn());
        assertArrayEquals(AukProof.of(AukProof.Direction.TERMINAL, s.auk(), s.rnd2()), r3.aukRnd2());
        byte[] tmk = random.next(16);
        byte[] kcv = Kcv.of(tmk, 4);
        host.issued(new KmsHostSession.Issued("SN1", 1, 42, kcv));
        TmsMessage k4 = terminal.onK3(answer(k3, List.of(Tlv.of(Tags.TMK_CIPHER, Tdes.encryptEcb(tek, tmk)), Tlv.of(Tags.KCV, kcv))));

        KmsRequests.Installed r4 = KmsRequests.installed(TmsMessage.unpack(k4.pack()));
        assertTrue(KmsHostSession.kcvMatches(host.takeIssued(r4.sn(), r4.keyIndex()), r4.kcv()));
        terminal.onK4(answer(k4, List.of()));
        assertTrue(terminal.done());
        assertArrayEquals(tmk, installed);
    }

    /** The SM family (DF07 = 02): 16-byte Rnd1/Rnd2 and proofs, SM4 TMK; K1 asks for the SM2 certificate. */
    @Test
    void smFamilyCarriesDf07AndSixteenByteRandoms() {
        TransmissionKeyDevice sm = new TransmissionKeyDevice() {
            @Override
            public boolean kmsProofMatches(byte[] rnd1, byte[] proof) {
                return AukProof.sm4Matches(AukProof.Direction.KMS, auk, rnd1, proof);
            }

            @Override
            public byte[] terminalProof(byte[] rnd2) {
                return AukProof.sm4(AukProof.Direction.TERMINAL, auk, rnd2);
            }

            @Override
            public boolean installTmk(int keyIndex, byte[] ctmk, byte[] kcv) {
                byte[] clear = dev.posgate.crypto.Sm4.decryptEcb(tek, ctmk);
                if (!Arrays.equals(Kcv.ofSm4(clear, 4), kcv)) return false;
                installed = clear;
                return true;
            }
        };
        KmsTerminalSession terminal = new KmsTerminalSession("SN1", null, 1, sm, random, true);
        assertTrue(KmsRequests.k1(TmsMessage.unpack(terminal.k1(true).pack())).sm());
        assertFalse(KmsRequests.k1(TmsMessage.unpack(terminal.k1().pack())).sm());
        TmsMessage k2 = terminal.k2();
        KmsRequests.K2 r2 = KmsRequests.k2(TmsMessage.unpack(k2.pack()));
        assertTrue(r2.sm());
        assertEquals(16, r2.rnd1().length);
        byte[] rnd2 = random.next(16);
        TmsMessage k3 = terminal.onK2(answer(k2, List.of(Tlv.of(Tags.E_AUK_RND1, AukProof.sm4(AukProof.Direction.KMS, auk, r2.rnd1())),
                Tlv.of(Tags.RND2, rnd2))));
        KmsRequests.K3 r3 = KmsRequests.k3(TmsMessage.unpack(k3.pack()));
        assertArrayEquals(AukProof.sm4(AukProof.Direction.TERMINAL, auk, rnd2), r3.aukRnd2());
        byte[] tmk = random.next(16);
        byte[] kcv = Kcv.ofSm4(tmk, 4);
        TmsMessage k4 = terminal.onK3(answer(k3, List.of(Tlv.of(Tags.TMK_CIPHER, dev.posgate.crypto.Sm4.encryptEcb(tek, tmk)),
                Tlv.of(Tags.KCV, kcv))));
        terminal.onK4(answer(k4, List.of()));
        assertTrue(terminal.done());
        assertArrayEquals(tmk, installed);
        // an unknown key family is a format error
        TmsMessage bad = TmsMessage.unpack(new KmsTerminalSession("SN1", null, 1, sm, random).k1().pack());
        TmsMessage withBadFamily = TmsMessage.of(bad.header(), List.of(Tlv.ofAscii(Tags.SERIAL_NUMBER, "SN1"), Tlv.ofByte(Tags.KEY_FAMILY, 9)));
        assertEquals("30", assertThrows(FlowRefusedException.class, () -> KmsRequests.k1(withBadFamily)).status());
        assertTrue(KmsRequests.sm2TkBlock(new byte[226]));
        assertFalse(KmsRequests.sm2TkBlock(new byte[256]));
    }

    @Test
    void hostRefusesOutOfOrderSteps() {
        KmsHostSession<byte[]> host = new KmsHostSession<>();
        assertEquals("12", assertThrows(FlowRefusedException.class, () -> host.takeStarted("SN1")).status());
        assertEquals("12", assertThrows(FlowRefusedException.class, () -> host.takeIssued("SN1", 1)).status());
        host.started(new KmsHostSession.Started<>("SN1", 1, tek, auk, new byte[8]));
        host.takeStarted("SN1");
        assertEquals("12", assertThrows(FlowRefusedException.class, () -> host.takeStarted("SN1")).status(), "one K3 per K2");
    }

    @Test
    void terminalRefusesAKmsThatDoesNotKnowItsAuk() {
        KmsTerminalSession terminal = new KmsTerminalSession("SN1", null, 1, device, random);
        TmsMessage k2 = terminal.k2();
        FlowRefusedException e = assertThrows(FlowRefusedException.class, () -> terminal.onK2(answer(k2,
                List.of(Tlv.of(Tags.E_AUK_RND1, new byte[8]), Tlv.of(Tags.RND2, new byte[8])))));
        assertEquals("63", e.status());
    }

    @Test
    void terminalReportsTheKmsStatus() {
        KmsTerminalSession terminal = new KmsTerminalSession("SN1", null, 1, device, random);
        TmsMessage k2 = terminal.k2();
        assertEquals("B1", assertThrows(FlowRefusedException.class, () -> terminal.onK2(k2.respond("B1", List.of()))).status());
    }
}
