package dev.posgate.terminal.pos;

import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.protocol.posp.WorkingKeyBlock;

/**
 * Where a POS terminal keeps its working keys: the PIN pad (under its TMK) or the PSAM card
 * (under the card master key). Keys go in encrypted and are used in place; none can be read.
 */
public interface WorkingKeyHolder {

    /**
     * Installs PIK, MAK (and TDK) from field 62 only if every key decrypts to the KCV sent;
     * returns false and keeps the previous keys otherwise.
     */
    boolean acceptWorkingKeys(WorkingKeyBlock block);

    /** ISO 9564 format 0 PIN block under the PIK. */
    byte[] encryptPin(String pin, String pan);

    /** Field 64 over {@code mab} under the MAK: UnionPay ECB MAC, or X9.19 when {@code x919}. */
    byte[] mac(byte[] mab, boolean x919);

    /** The terminal's key algorithm (fixes field 62's checks and 53.2); TDES unless the holder says otherwise. */
    default KeyAlgorithm algorithm() {
        return KeyAlgorithm.TDES;
    }
}
