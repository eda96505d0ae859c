package dev.posgate.gateway.kms.store;

/** One terminal of a factory batch. */
public record BatchEntry(String sn, String snPinpad, byte[] tkBlock) {
    @Override
    public String toString() {
        return "BatchEntry[" + sn + "]";
    }
}
