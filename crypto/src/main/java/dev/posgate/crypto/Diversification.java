package dev.posgate.crypto;

import java.util.Objects;

/**
 * PBOC / UnionPay key diversification (JR/T 0025 style) and the PSAM card diversifier.
 */
public final class Diversification {
    private Diversification() {
    }

    /**
     * PBOC diversification: left = TDES-ECB(MK, d), right = TDES-ECB(MK, NOT d); the 16-byte
     * result is returned <strong>odd-parity adjusted</strong> ({@link Parity#adjustOdd}) so it can
     * be imported where parity is enforced. Parity bits are ignored by DES, so this changes no
     * encryption result nor KCV compared with {@link #pbocRaw}.
     *
     * @param masterKey double- (or triple-) length TDES master key, 16 or 24 bytes
     * @param diversifier 8 bytes, e.g. {@link #psamDiversifier}
     */
    public static byte[] pboc(byte[] masterKey, byte[] diversifier) {
        byte[] raw = pbocRaw(masterKey, diversifier);
        byte[] out = Parity.adjustOdd(raw);
        java.util.Arrays.fill(raw, (byte) 0);
        return out;
    }

    /** {@link #pboc} without the parity adjustment: the plain concatenation of both encryptions. */
    public static byte[] pbocRaw(byte[] masterKey, byte[] diversifier) {
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(diversifier, "diversifier");
        if (masterKey.length != 16 && masterKey.length != 24) {
            throw new IllegalArgumentException("master key must be 16 or 24 bytes, got " + masterKey.length);
        }
        if (diversifier.length != 8) {
            throw new IllegalArgumentException("diversifier must be 8 bytes, got " + diversifier.length);
        }
        byte[] in = new byte[16];
        for (int i = 0; i < 8; i++) {
            in[i] = diversifier[i];
            in[8 + i] = (byte) ~diversifier[i];
        }
        return Tdes.encryptEcb(masterKey, in);
    }

    /**
     * The 8-byte diversification factor d of a PSAM card: the rightmost 16 digits of the card
     * number, left-padded with {@code 0} to 16 digits, packed as BCD (two digits per byte).
     * PSAM serial numbers are 10-byte BCD (20 digits) in practice, so up to 20 digits are
     * accepted and the leading ones dropped.
     *
     * @param cardNumber 1..20 decimal digits
     * @throws IllegalArgumentException if empty, longer than 20 or not all digits
     */
    public static byte[] psamDiversifier(String cardNumber) {
        PinBlocks.checkDigits(cardNumber, 1, 20, "PSAM card number");
        String s = cardNumber.length() >= 16
                ? cardNumber.substring(cardNumber.length() - 16)
                : "0000000000000000".substring(cardNumber.length()) + cardNumber;
        byte[] d = new byte[8];
        for (int i = 0; i < 8; i++) {
            d[i] = (byte) (((s.charAt(2 * i) - '0') << 4) | (s.charAt(2 * i + 1) - '0'));
        }
        return d;
    }
}
