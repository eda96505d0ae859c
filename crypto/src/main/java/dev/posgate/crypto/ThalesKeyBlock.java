package dev.posgate.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Keys under a key-block LMK, payShield style (key scheme {@code S}): the key block after the
 * {@code S}, a {@link KeyBlockHeader} whose version ID says which LMK protects it and whose
 * reserved field carries the LMK identifier.
 *
 * <ul>
 *   <li><b>{@code 0}</b> — TDES key-block LMK (16 or 24 bytes): the TR-31 key variant binding
 *       method of versions A/C ({@link Tr31}): KBEK = LMK ⊕ 45.., KBAK = LMK ⊕ 4D..; TDES-CBC
 *       with the first 8 header bytes as IV; MAC = first 4 bytes of the TDES CBC-MAC over the
 *       header ‖ the encrypted key data.</li>
 *   <li><b>{@code 1}</b> — AES key-block LMK (16, 24 or 32 bytes): KBEK and KBAK derived as in
 *       TR-31 version D (AES-CMAC, usage 0000 / 0001); AES-CBC with the first 16 header bytes
 *       as IV; MAC = first 8 bytes of the AES-CMAC over the header ‖ the encrypted key data.</li>
 * </ul>
 *
 * <p>The payShield manual that defines this format is not public. What is implemented here
 * reproduces the blocks published with the payShield test key-block LMKs (see the tests and
 * docs/crypto.md "TR-31 key blocks"), which is evidence, not a specification; the software HSM
 * uses it for its own keys, where only self-consistency is required.
 *
 * <p>Padding is the minimal TR-31 padding (no key-length masking).
 */
public final class ThalesKeyBlock {
    /** The key scheme character that precedes such a block in host commands. */
    public static final char SCHEME = 'S';

    private ThalesKeyBlock() {
    }

    /**
     * Wraps {@code key} under the key-block LMK; the header's version ID ({@code 0} or {@code 1})
     * must suit the LMK. Returns the block without the leading {@code S}.
     *
     * @throws IllegalArgumentException for a version ID other than 0/1 or an LMK that does not suit it
     */
    public static String wrap(byte[] lmk, KeyBlockHeader header, byte[] key, RandomSource random) {
        Objects.requireNonNull(lmk, "lmk");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(random, "random");
        boolean aes = isAes(header.versionId(), IllegalArgumentException::new);
        checkLmk(lmk, aes, IllegalArgumentException::new);
        if (key.length == 0 || key.length > 0xFFFF / 8) {
            throw new IllegalArgumentException("key length " + key.length + " is not wrappable");
        }
        int bs = aes ? 16 : 8;
        KeyBlockHeader h = header.padTo(bs);
        byte[] clear = Tr31.clearKeyData(key, 0, bs, random);
        int total = h.encodedLength() + 2 * clear.length + (aes ? 16 : 8);
        String head = h.encode(total);
        byte[] hb = head.getBytes(StandardCharsets.US_ASCII);
        byte[] enc = encrypt(lmk, aes, hb, clear, true);
        return head + Hex.encode(enc) + Hex.encode(mac(lmk, aes, hb, enc));
    }

    /**
     * Unwraps a key-block-LMK key (the block without the leading {@code S}).
     *
     * @throws KeyBlockException  when malformed, or the version does not suit the LMK
     * @throws IntegrityException when the MAC does not match (another LMK, or altered)
     */
    public static Tr31.Unwrapped unwrap(byte[] lmk, CharSequence block) {
        Objects.requireNonNull(lmk, "lmk");
        Objects.requireNonNull(block, "block");
        KeyBlockHeader.Parsed p = KeyBlockHeader.parse(block);
        boolean aes = isAes(p.header().versionId(), KeyBlockException::new);
        checkLmk(lmk, aes, KeyBlockException::new);
        if (p.declaredBlockLength() != block.length()) {
            throw new KeyBlockException("key block length field " + p.declaredBlockLength()
                    + " does not match the block's " + block.length() + " characters");
        }
        int bs = aes ? 16 : 8;
        int macHex = aes ? 16 : 8;
        String s = block.toString();
        int encHex = s.length() - p.length() - macHex;
        if (encHex <= 0 || encHex % (2 * bs) != 0) {
            throw new KeyBlockException("encrypted key data of " + Math.max(encHex, 0)
                    + " characters is not a positive multiple of the " + bs + "-byte block");
        }
        byte[] hb = s.substring(0, p.length()).getBytes(StandardCharsets.US_ASCII);
        byte[] enc = Tr31.hex(s.substring(p.length(), p.length() + encHex), "encrypted key data");
        byte[] mac = Tr31.hex(s.substring(p.length() + encHex), "MAC");
        Tr31.checkMac(mac(lmk, aes, hb, enc), mac);
        return new Tr31.Unwrapped(p.header(), Tr31.keyOf(encrypt(lmk, aes, hb, enc, false)));
    }

    private static byte[] encrypt(byte[] lmk, boolean aes, byte[] head, byte[] data, boolean encrypt) {
        if (aes) {
            byte[] kbek = Tr31.deriveAes(lmk)[0];
            byte[] iv = Arrays.copyOf(head, 16);
            return encrypt ? Aes.encryptCbc(kbek, iv, data) : Aes.decryptCbc(kbek, iv, data);
        }
        byte[] kbek = Tr31.variant(lmk, 0x45);
        byte[] iv = Arrays.copyOf(head, 8);
        return encrypt ? Tdes.encryptCbc(kbek, iv, data) : Tdes.decryptCbc(kbek, iv, data);
    }

    private static byte[] mac(byte[] lmk, boolean aes, byte[] head, byte[] enc) {
        if (aes) {
            return Arrays.copyOf(Cmac.aes(Tr31.deriveAes(lmk)[1], Tr31.concat(head, enc)), 8);
        }
        return Tr31.variantMac(lmk, head, enc);
    }

    private static boolean isAes(char versionId, java.util.function.Function<String, RuntimeException> err) {
        return switch (versionId) {
            case '0' -> false;
            case '1' -> true;
            default -> throw err.apply("key-block LMK version ID '" + versionId + "' is not supported (0 TDES, 1 AES)");
        };
    }

    private static void checkLmk(byte[] lmk, boolean aes, java.util.function.Function<String, RuntimeException> err) {
        boolean ok = aes ? Aes.isValidKeyLength(lmk.length) : lmk.length == 16 || lmk.length == 24;
        if (!ok) {
            throw err.apply("a " + lmk.length + "-byte LMK does not protect version " + (aes ? "1 (AES)" : "0 (TDES)")
                    + " key blocks");
        }
    }
}
