package dev.posgate.gateway.db;

import java.time.OffsetDateTime;

/** A registered terminal. {@code tid}/{@code mid} address it on the POS side, {@code sn} on TMS/KMS. */
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
        Status status,
        OffsetDateTime createdAt) {

    /** How working keys reach the terminal: under its TMK, or under its PSAM card's master key. */
    public enum KeyScheme { TMK, PSAM }

    /** The MAC of field 64: UnionPay ECB (default) or X9.19, per terminal profile. */
    public enum MacAlgorithm { ECB, X919 }

    public enum Status { ACTIVE, SUSPENDED, RETIRED }
}
