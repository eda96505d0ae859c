package dev.posgate.protocol.posp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    private static Admission.Facts tmk(boolean active, LocalDate signedOn, boolean keys, boolean mac) {
        return new Admission.Facts(true, active, signedOn, keys, false, null, null, mac);
    }

    @Test
    void checksInOrder() {
        assertEquals(Admission.Verdict.NOT_REGISTERED,
                Admission.decide(new Admission.Facts(false, true, TODAY, true, false, null, null, true), TODAY));
        assertEquals(Admission.Verdict.NOT_PERMITTED, Admission.decide(tmk(false, null, false, false), TODAY));
        assertEquals(Admission.Verdict.SIGN_ON_AGAIN, Admission.decide(tmk(true, null, true, true), TODAY), "never signed on");
        assertEquals(Admission.Verdict.SIGN_ON_AGAIN, Admission.decide(tmk(true, TODAY.minusDays(1), true, true), TODAY), "yesterday");
        assertEquals(Admission.Verdict.SIGN_ON_AGAIN, Admission.decide(tmk(true, TODAY, false, true), TODAY), "no keys");
        assertEquals(Admission.Verdict.MAC_MISSING, Admission.decide(tmk(true, TODAY, true, false), TODAY));
        assertEquals(Admission.Verdict.VERIFY_MAC, Admission.decide(tmk(true, TODAY, true, true), TODAY));
        assertEquals("77", Admission.Verdict.SIGN_ON_AGAIN.responseCode());
    }

    @Test
    void psamTerminalNeedsTheCardItSignedOnWith() {
        assertEquals(Admission.Verdict.VERIFY_MAC,
                Admission.decide(new Admission.Facts(true, true, TODAY, true, true, "42", "42", true), TODAY));
        assertEquals(Admission.Verdict.SIGN_ON_AGAIN,
                Admission.decide(new Admission.Facts(true, true, TODAY, true, true, "42", "43", true), TODAY), "card replaced");
        assertEquals(Admission.Verdict.SIGN_ON_AGAIN,
                Admission.decide(new Admission.Facts(true, true, TODAY, true, true, "42", null, true), TODAY), "card unbound");
    }

    @Test
    void terminalBatchFollowsAnswers() {
        TerminalBatch b = new TerminalBatch(999_999);
        assertEquals("000001", b.nextStan());
        assertEquals("000002", b.peekStan());
        assertFalse(b.signedOn());
        b.onSignOn("00", false);
        assertFalse(b.signedOn(), "keys refused by the PIN pad");
        b.onSignOn("00", true);
        assertTrue(b.signedOn());
        b.onAnswer("00", 3);
        assertFalse(b.signedOn(), "processing requirement 3");
        b.onSettlement("00", new BatchTotals(1, 100, 0, 0).field48(BatchTotals.OUT_OF_BALANCE));
        assertEquals("999999", b.batch());
        b.onSettlement("00", new BatchTotals(1, 100, 0, 0).field48(BatchTotals.IN_BALANCE));
        assertEquals("000001", b.batch(), "batch numbers wrap");
    }
}
