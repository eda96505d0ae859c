package dev.posgate.protocol.loader;

/** The terminal's PIN pad as the L-flow needs it: install a TMK received under a one-time key. */
public interface TmkSlot {
    /**
     * Decrypts {@code ctmk} (TDES-ECB) under {@code rnd1} into the TMK slot {@code keyIndex} and
     * returns the installed key's 4-byte check value.
     */
    byte[] installTmk(int keyIndex, byte[] rnd1, byte[] ctmk);

    /**
     * The SM family (SM4 terminal): decrypts {@code ctmk} with SM4-ECB under {@code rnd1} into the
     * slot as an SM4 TMK and returns its 4-byte SM4 check value.
     */
    default byte[] installSm4Tmk(int keyIndex, byte[] rnd1, byte[] ctmk) {
        throw new UnsupportedOperationException("this PIN pad has no SM4 TMK slot");
    }
}
