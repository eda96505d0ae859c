package dev.posgate.gateway.posp.store;

import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.hsm.LmkKey;
import dev.posgate.protocol.posp.Admission;
import java.time.LocalDate;

/**
 * What a financial message needs to know about its terminal, read in one query: registration,
 * the last sign-on (null fields when it never signed on), the active working keys under the LMK
 * and, during a sign-on grace period, the keys the terminal used before the last sign-on
 * ({@code gracePik}/{@code graceMak}, null when no grace is open). {@code keysUsed}: a request
 * has verified under the active keys since they were issued. {@code terminalInfo}: field 46 as
 * stored with the terminal (null when never sent), to write it only when it changes.
 * {@code keyAlgorithm}: TDES or SM4 (issue 17), which MAC and PIN translation its keys get.
 */
public record TerminalSession(
        String tid,
        String mid,
        String sn,
        Terminal.KeyScheme keyScheme,
        Terminal.MacAlgorithm macAlgorithm,
        Terminal.Status status,
        String batch,
        LocalDate signedOnDate,
        String psamCard,
        LmkKey pik,
        LmkKey mak,
        LmkKey gracePik,
        LmkKey graceMak,
        boolean keysUsed,
        String terminalInfo,
        Terminal.KeyAlgorithm keyAlgorithm) {

    /** A TDES terminal (before issue 17). */
    public TerminalSession(String tid, String mid, String sn, Terminal.KeyScheme keyScheme, Terminal.MacAlgorithm macAlgorithm,
            Terminal.Status status, String batch, LocalDate signedOnDate, String psamCard, LmkKey pik, LmkKey mak,
            LmkKey gracePik, LmkKey graceMak, boolean keysUsed, String terminalInfo) {
        this(tid, mid, sn, keyScheme, macAlgorithm, status, batch, signedOnDate, psamCard, pik, mak, gracePik, graceMak,
                keysUsed, terminalInfo, Terminal.KeyAlgorithm.TDES);
    }

    /** True while the keys of before the last sign-on may still verify a request. */
    public boolean graceOpen() {
        return gracePik != null && graceMak != null;
    }

    /** This terminal as it was before its last sign-on: the grace keys in place of the active ones. */
    public TerminalSession underGraceKeys() {
        if (!graceOpen()) throw new IllegalStateException("no sign-on grace open for " + tid);
        return new TerminalSession(tid, mid, sn, keyScheme, macAlgorithm, status, batch, signedOnDate, psamCard,
                gracePik, graceMak, null, null, true, terminalInfo, keyAlgorithm);
    }

    /** The facts {@link Admission} decides on, for a message from this (registered) terminal. */
    public Admission.Facts admissionFacts(String cardBoundNow, boolean hasMac) {
        return new Admission.Facts(true, status == Terminal.Status.ACTIVE, signedOnDate, pik != null && mak != null,
                keyScheme == Terminal.KeyScheme.PSAM, psamCard, cardBoundNow, hasMac);
    }

    /** The facts for a terminal id that is not registered. */
    public static Admission.Facts unregistered() {
        return new Admission.Facts(false, false, null, false, false, null, null, false);
    }

    /** The X9.19 MAC profile (TDES terminals only: an SM4 terminal's MAC is the UnionPay SM4 POS MAC). */
    public boolean x919() {
        return keyAlgorithm != Terminal.KeyAlgorithm.SM4 && macAlgorithm == Terminal.MacAlgorithm.X919;
    }

    public boolean sm4() {
        return keyAlgorithm == Terminal.KeyAlgorithm.SM4;
    }

    @Override
    public String toString() {
        return "TerminalSession[" + tid + " " + keyScheme + " " + keyAlgorithm + " batch=" + batch + " signedOn=" + signedOnDate + "]";
    }
}
