package dev.posgate.hsm;

import dev.posgate.crypto.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The host-side steps of the UnionPay ECB MAC (protocol.md section 2) when the HSM only offers
 * payShield's M6/M8 (HSM profile {@code payshield}, issue 16 item 2): the gateway XORs the MAB's
 * 8-byte blocks (the last zero-padded) and writes the result as 16 uppercase ASCII hex characters;
 * the HSM computes ISO 9797-1 algorithm 1 (CBC, zero IV, no padding) over those 16 bytes, which is
 * exactly the ECB MAC's "encrypt the first 8, XOR the last 8, encrypt" under the MAK; field 64 is
 * the first 4 bytes of that MAC as 8 uppercase hex characters. The XOR involves no key: nothing
 * secret is computed outside the HSM.
 */
public final class UnionPayMacs {
    /** MAC bytes asked of M6/M8 (MAC size 0 = 8 hex). */
    public static final int MAC_BYTES = 4;

    private UnionPayMacs() {}

    /** The 16 ASCII hex characters of the XOR of the MAB's 8-byte blocks (zero-padded). */
    public static byte[] hexBlock(byte[] mab) {
        Objects.requireNonNull(mab, "mab");
        byte[] x = new byte[8];
        for (int i = 0; i < mab.length; i++) {
            x[i % 8] ^= mab[i];
        }
        return Hex.encode(x).getBytes(StandardCharsets.US_ASCII);
    }

    /** Field 64 from the MAC M6 returned: its first 4 bytes as 8 uppercase ASCII hex characters. */
    public static byte[] field64(byte[] mac) {
        return Hex.encode(Arrays.copyOf(mac, MAC_BYTES)).getBytes(StandardCharsets.US_ASCII);
    }

    /** The 4 MAC bytes field 64 carries, or null when it is not 8 uppercase hex characters (never a valid MAC). */
    public static byte[] macOfField64(byte[] field64) {
        if (field64 == null || field64.length != 2 * MAC_BYTES) return null;
        for (byte b : field64) {
            if (!((b >= '0' && b <= '9') || (b >= 'A' && b <= 'F'))) return null;
        }
        return Hex.decode(new String(field64, StandardCharsets.US_ASCII));
    }
}
