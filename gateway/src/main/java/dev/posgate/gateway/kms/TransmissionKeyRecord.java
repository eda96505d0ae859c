package dev.posgate.gateway.kms;

/** One row of the SN-Key table: the TK block as uploaded (ciphertext under the KMS public key). */
public record TransmissionKeyRecord(String sn, String snPinpad, byte[] tkBlock, int version) {
    @Override
    public String toString() {
        return "TransmissionKeyRecord[" + sn + " v" + version + "]";
    }
}
