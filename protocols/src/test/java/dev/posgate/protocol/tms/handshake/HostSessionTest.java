package dev.posgate.protocol.tms.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.iso8583.tms.TmsCode;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class HostSessionTest {
    @Test
    void orderIsH1ThenH2ThenDownloadAndAFailureClosesEverything() {
        HostSession<String, String> s = new HostSession<>();
        assertTrue(s.admits(TmsCode.H1));
        assertFalse(s.admits(TmsCode.H2));
        assertFalse(s.admits(TmsCode.D2));
        s.challenged("SN", "t", "dwk", new StampedRandom(new byte[4], LocalDateTime.now()));
        assertFalse(s.admits(TmsCode.H1));
        assertTrue(s.admits(TmsCode.H2));
        assertFalse(s.admits(TmsCode.D1));
        s.authenticated();
        assertTrue(s.admits(TmsCode.D1) && s.admits(TmsCode.D2) && s.admits(TmsCode.D3));
        assertFalse(s.admits(TmsCode.H2));
        assertFalse(s.admits(TmsCode.K1));
        s.fail();
        assertFalse(s.admits(TmsCode.D2));
    }

    @Test
    void anAdmittedSeqIsUsableOncePerSessionAndRefusedRequestsUseNone() {
        HostSession<String, String> s = new HostSession<>();
        assertEquals(HostSession.Admission.OUT_OF_ORDER, s.admit(TmsCode.D2, 7));
        assertEquals(HostSession.Admission.ADMITTED, s.admit(TmsCode.H1, 7));
        assertEquals(HostSession.Admission.DUPLICATE_SEQ, s.admit(TmsCode.H1, 7));
    }
}
