package dev.posgate.gateway.platform.db;

import java.time.OffsetDateTime;

/**
 * A registered terminal. {@code tid}/{@code mid} address it on the POS side, {@code sn} on TMS/KMS.
 * {@code terminalInfo}: field 46 as it last sent it (GBK-decoded, bounded), null when never sent.
 */
public record Terminal(
        long id,
        String tid,
        String mid,
        String sn,
        String snPinpad,
        String vendor,
        String model,
        KeyScheme keyScheme,
        MacAlgorithm macAlgorithm,
        MakLength makLength,
        Status status,
        OffsetDateTime createdAt,
        String terminalInfo,
        KeyAlgorithm keyAlgorithm) {

    /** Before issue 17: a TDES terminal. */
    public Terminal(long id, String tid, String mid, String sn, String snPinpad, String vendor, String model,
            KeyScheme keyScheme, MacAlgorithm macAlgorithm, MakLength makLength, Status status, OffsetDateTime createdAt,
            String terminalInfo) {
        this(id, tid, mid, sn, snPinpad, vendor, model, keyScheme, macAlgorithm, makLength, status, createdAt, terminalInfo,
                KeyAlgorithm.TDES);
    }

    /** A terminal with the default profile (double-length MAK) that never sent field 46. */
    public Terminal(long id, String tid, String mid, String sn, String snPinpad, String vendor, String model,
            KeyScheme keyScheme, MacAlgorithm macAlgorithm, Status status, OffsetDateTime createdAt) {
        this(id, tid, mid, sn, snPinpad, vendor, model, keyScheme, macAlgorithm, MakLength.DOUBLE, status, createdAt, null,
                KeyAlgorithm.TDES);
    }

    /** How working keys reach the terminal: under its TMK, or under its PSAM card's master key. */
    public enum KeyScheme { TMK, PSAM }

    /** The MAC of field 64: UnionPay ECB (default) or X9.19, per terminal profile. */
    public enum MacAlgorithm { ECB, X919 }

    /**
     * The MAK a 003/004 sign-on issues: double length (default) or, for terminals whose profile
     * asks for it, single length in the same 40/60-byte field 62 (8 key bytes, 8 zero bytes, KCV).
     */
    public enum MakLength { DOUBLE, SINGLE }

    public enum Status { ACTIVE, SUSPENDED, RETIRED }

    /**
     * The terminal's key algorithm (V12, issue 17): TDES (default) or SM4 (an SM4 TMK, SM4 working
     * keys, UnionPay SM4 POS MAC, SM4 PIN block; protocol.md section 5). SM4 needs the TMK scheme;
     * the MAC algorithm and MAK length of the profile apply to TDES terminals only.
     */
    public enum KeyAlgorithm { TDES, SM4 }

    public boolean sm4() {
        return keyAlgorithm == KeyAlgorithm.SM4;
    }
}
