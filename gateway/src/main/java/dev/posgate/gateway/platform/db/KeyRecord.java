package dev.posgate.gateway.platform.db;

import java.time.OffsetDateTime;

/**
 * A key as the gateway holds it: encrypted under the HSM's LMK ({@code lmkValue}), never clear.
 * {@code toString} leaves the encrypted value out so it never reaches a log by accident.
 */
public record KeyRecord(
        long id,
        OwnerType ownerType,
        String ownerId,
        String keyType,
        int keyIndex,
        int version,
        String lmkValue,
        String kcv,
        State state,
        OffsetDateTime createdAt) {

    public enum OwnerType { TERMINAL, PSAM, ZONE, SYSTEM }

    /** PENDING until the holder confirms it (e.g. a TMK before K4), ACTIVE in use, RETIRED kept for history. */
    public enum State { PENDING, ACTIVE, RETIRED }

    @Override
    public String toString() {
        return "KeyRecord[" + ownerType + "/" + ownerId + " " + keyType + "#" + keyIndex + " v" + version
                + " kcv=" + kcv + " " + state + "]";
    }
}
