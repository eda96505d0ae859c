package dev.posgate.gateway.kms.store;

import dev.posgate.hsm.LmkKey;

/**
 * One row of the SN-Key table: the TK block as uploaded (ciphertext under the KMS public key) and,
 * once the first K2 opened it, TEK and AUK under the LMK ({@code null} until then).
 */
public record TransmissionKeyRecord(String sn, String snPinpad, byte[] tkBlock, int version, LmkKey tek, LmkKey auk) {
    /** True when the block was opened before: K2 needs no RSA operation. */
    public boolean opened() {
        return tek != null && auk != null;
    }

    @Override
    public String toString() {
        return "TransmissionKeyRecord[" + sn + " v" + version + (opened() ? " opened" : "") + "]";
    }
}
