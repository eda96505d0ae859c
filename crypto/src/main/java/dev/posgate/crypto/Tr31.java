package dev.posgate.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * TR-31 / ANSI X9.143 key blocks: wrap a key with its attributes ({@link KeyBlockHeader}) under
 * a key block protection key (KBPK), and unwrap with the MAC checked.
 *
 * <p>The block is {@code header ‖ hex(encrypted key data) ‖ hex(MAC)}, all printable ASCII. The
 * clear key data is {@code key length in bits (2 bytes, big-endian) ‖ key ‖ random padding} to a
 * multiple of the cipher block; with key-length masking (X9.143) the padding is as long as a key
 * of {@code maskedKeyLength} bytes would need, so the block does not tell the key's length.
 *
 * <table>
 *   <caption>versions</caption>
 *   <tr><th>ID</th><th>KBPK</th><th>binding</th><th>encryption</th><th>MAC</th></tr>
 *   <tr><td>A, C</td><td>TDES 8/16/24</td><td>variants KBEK = KBPK ⊕ 45.., KBAK = KBPK ⊕ 4D..</td>
 *       <td>TDES-CBC, IV = first 8 header bytes</td>
 *       <td>TDES CBC-MAC over header ‖ encrypted data, 4 bytes</td></tr>
 *   <tr><td>B</td><td>TDES 16/24</td><td>derivation: KBEK, KBAK = TDES-CMAC(KBPK, counter ‖ usage ‖ 00 ‖
 *       algorithm ‖ bits), usage 0000 / 0001</td>
 *       <td>TDES-CBC, IV = MAC</td><td>TDES-CMAC over header ‖ clear key data, 8 bytes</td></tr>
 *   <tr><td>D</td><td>AES 16/24/32</td><td>the same with AES-CMAC</td>
 *       <td>AES-CBC, IV = MAC</td><td>AES-CMAC over header ‖ clear key data, 16 bytes</td></tr>
 * </table>
 *
 * <p>Unwrap checks the declared length, the header, the hex and the MAC (constant-time) before
 * it returns a key; a MAC mismatch (wrong KBPK, altered header or data) is an
 * {@link IntegrityException}, anything malformed a {@link KeyBlockException}. docs/crypto.md
 * "TR-31 key blocks" lists the published vectors the tests check.
 */
public final class Tr31 {
    private Tr31() {
    }

    /** A key and its attributes, out of a key block. The key is copied in and out. */
    public static final class Unwrapped {
        private final KeyBlockHeader header;
        private final byte[] key;

        Unwrapped(KeyBlockHeader header, byte[] key) {
            this.header = header;
            this.key = key.clone();
        }

        public KeyBlockHeader header() {
            return header;
        }

        /** The clear key (a fresh copy). */
        public byte[] key() {
            return key.clone();
        }

        /** Header only: never the key. */
        @Override
        public String toString() {
            return "Unwrapped[" + header + ", " + key.length + "-byte key]";
        }
    }

    /** Wraps without key-length masking (TR-31:2018 style): minimal random padding. */
    public static String wrap(byte[] kbpk, KeyBlockHeader header, byte[] key, RandomSource random) {
        return wrap(kbpk, header, key, 0, random);
    }

    /**
     * Wraps {@code key} under {@code kbpk} with the attributes of {@code header} (its version ID
     * selects the method; its length field is computed). A pad block is added to the header when
     * its length is not a multiple of the cipher block.
     *
     * @param maskedKeyLength pad as if the key were this many bytes (0 or less than the key: no masking)
     * @param random          source of the padding bytes (exactly as many as the padding needs)
     * @throws IllegalArgumentException for an unsupported version, a KBPK or key of the wrong length
     */
    public static String wrap(byte[] kbpk, KeyBlockHeader header, byte[] key, int maskedKeyLength,
            RandomSource random) {
        Objects.requireNonNull(kbpk, "kbpk");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(random, "random");
        Method m = Method.of(header.versionId());
        if (m == null) {
            throw new IllegalArgumentException("TR-31 version ID '" + header.versionId() + "' is not supported");
        }
        m.checkKbpk(kbpk, IllegalArgumentException::new);
        if (key.length == 0 || key.length > 0xFFFF / 8) {
            throw new IllegalArgumentException("key length " + key.length + " is not wrappable");
        }
        KeyBlockHeader h = header.padTo(m.block);
        byte[] clear = clearKeyData(key, maskedKeyLength, m.block, random);
        int total = h.encodedLength() + 2 * clear.length + 2 * m.macLength;
        String head = h.encode(total);
        return head + seal(m, kbpk, head, clear);
    }

    /**
     * Unwraps a key block: checks the declared length, parses the header, verifies the MAC and
     * decrypts.
     *
     * @throws KeyBlockException   when the block is malformed or its version not supported
     * @throws IntegrityException  when the MAC does not match (wrong KBPK or altered block)
     */
    public static Unwrapped unwrap(byte[] kbpk, CharSequence block) {
        Objects.requireNonNull(kbpk, "kbpk");
        Objects.requireNonNull(block, "block");
        KeyBlockHeader.Parsed p = KeyBlockHeader.parse(block);
        Method m = Method.of(p.header().versionId());
        if (m == null) {
            throw new KeyBlockException("TR-31 version ID '" + p.header().versionId() + "' is not supported");
        }
        if (p.declaredBlockLength() != block.length()) {
            throw new KeyBlockException("key block length field " + p.declaredBlockLength()
                    + " does not match the block's " + block.length() + " characters");
        }
        m.checkKbpk(kbpk, KeyBlockException::new);
        String s = block.toString();
        byte[] key = open(m, kbpk, s.substring(0, p.length()), s.substring(p.length()));
        return new Unwrapped(p.header(), key);
    }

    // ---------------------------------------------------------------- the methods

    /** Binding method of a version ID. */
    enum Method {
        /** Key variant binding, TDES (versions A and C). */
        VARIANT(8, 4),
        /** Key derivation binding, TDES-CMAC (version B). */
        DERIVE_TDES(8, 8),
        /** Key derivation binding, AES-CMAC (version D). */
        DERIVE_AES(16, 16);

        final int block;
        final int macLength;

        Method(int block, int macLength) {
            this.block = block;
            this.macLength = macLength;
        }

        static Method of(char versionId) {
            return switch (versionId) {
                case 'A', 'C' -> VARIANT;
                case 'B' -> DERIVE_TDES;
                case 'D' -> DERIVE_AES;
                default -> null;
            };
        }

        void checkKbpk(byte[] kbpk, java.util.function.Function<String, RuntimeException> err) {
            boolean ok = switch (this) {
                case VARIANT -> Tdes.isValidKeyLength(kbpk.length);
                case DERIVE_TDES -> kbpk.length == 16 || kbpk.length == 24;
                case DERIVE_AES -> Aes.isValidKeyLength(kbpk.length);
            };
            if (!ok) {
                throw err.apply("a " + kbpk.length + "-byte KBPK does not fit " + this + " key blocks");
            }
        }
    }

    /** {@code 2-byte bit length ‖ key ‖ padding}, a multiple of {@code block}. */
    static byte[] clearKeyData(byte[] key, int maskedKeyLength, int block, RandomSource random) {
        int n = Math.max(key.length, maskedKeyLength);
        int total = (2 + n + block - 1) / block * block;
        int pad = total - 2 - key.length;
        byte[] padding = random.next(pad);
        if (padding == null || padding.length != pad) {
            throw new IllegalStateException("random source returned the wrong number of bytes");
        }
        byte[] clear = new byte[total];
        int bits = key.length * 8;
        clear[0] = (byte) (bits >>> 8);
        clear[1] = (byte) bits;
        System.arraycopy(key, 0, clear, 2, key.length);
        System.arraycopy(padding, 0, clear, 2 + key.length, pad);
        return clear;
    }

    /** hex(encrypted key data) ‖ hex(MAC) for a TR-31 block whose header text is {@code head}. */
    private static String seal(Method m, byte[] kbpk, String head, byte[] clear) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        switch (m) {
            case VARIANT -> {
                byte[] enc = Tdes.encryptCbc(variant(kbpk, 0x45), Arrays.copyOf(h, 8), clear);
                return Hex.encode(enc) + Hex.encode(variantMac(kbpk, h, enc));
            }
            case DERIVE_TDES -> {
                byte[][] keys = deriveTdes(kbpk);
                byte[] mac = Cmac.tdes(keys[1], concat(h, clear));
                return Hex.encode(Tdes.encryptCbc(keys[0], mac, clear)) + Hex.encode(mac);
            }
            default -> {
                byte[][] keys = deriveAes(kbpk);
                byte[] mac = Cmac.aes(keys[1], concat(h, clear));
                return Hex.encode(Aes.encryptCbc(keys[0], mac, clear)) + Hex.encode(mac);
            }
        }
    }

    /** Verifies and decrypts the part after the header; returns the key. */
    private static byte[] open(Method m, byte[] kbpk, String head, String rest) {
        int macHex = 2 * m.macLength;
        int encHex = rest.length() - macHex;
        if (encHex <= 0 || encHex % (2 * m.block) != 0) {
            throw new KeyBlockException("encrypted key data of " + Math.max(encHex, 0)
                    + " characters is not a positive multiple of the " + m.block + "-byte block");
        }
        byte[] enc = hex(rest.substring(0, encHex), "encrypted key data");
        byte[] mac = hex(rest.substring(encHex), "MAC");
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] clear;
        switch (m) {
            case VARIANT -> {
                checkMac(variantMac(kbpk, h, enc), mac);
                clear = Tdes.decryptCbc(variant(kbpk, 0x45), Arrays.copyOf(h, 8), enc);
            }
            case DERIVE_TDES -> {
                byte[][] keys = deriveTdes(kbpk);
                clear = Tdes.decryptCbc(keys[0], mac, enc);
                checkMac(Cmac.tdes(keys[1], concat(h, clear)), mac);
            }
            default -> {
                byte[][] keys = deriveAes(kbpk);
                clear = Aes.decryptCbc(keys[0], mac, enc);
                checkMac(Cmac.aes(keys[1], concat(h, clear)), mac);
            }
        }
        return keyOf(clear);
    }

    static void checkMac(byte[] expected, byte[] actual) {
        if (!Macs.verify(expected, actual)) {
            throw new IntegrityException("key block MAC does not match (wrong KBPK, or the block was altered)");
        }
    }

    /** The key out of authenticated clear key data. */
    static byte[] keyOf(byte[] clear) {
        int bits = ((clear[0] & 0xFF) << 8) | (clear[1] & 0xFF);
        if (bits == 0 || bits % 8 != 0 || 2 + bits / 8 > clear.length) {
            throw new KeyBlockException("decrypted key length of " + bits + " bits does not fit the key data");
        }
        return Arrays.copyOfRange(clear, 2, 2 + bits / 8);
    }

    /**
     * Version A/C MAC: first 4 bytes of the TDES CBC-MAC (zero IV) under KBPK ⊕ 4D.. over the
     * header text ‖ the encrypted key data (binary, not its hex).
     */
    static byte[] variantMac(byte[] kbpk, byte[] head, byte[] enc) {
        return Arrays.copyOf(Macs.x99(variant(kbpk, 0x4D), concat(head, enc)), 4);
    }

    static byte[] variant(byte[] key, int v) {
        byte[] out = new byte[key.length];
        for (int i = 0; i < key.length; i++) {
            out[i] = (byte) (key[i] ^ v);
        }
        return out;
    }

    /**
     * TR-31 key derivation binding with TDES (version B): {KBEK, KBAK}. Derivation data per
     * 8-byte output block: counter ‖ usage (0000 encryption, 0001 MAC) ‖ 00 ‖ algorithm (0000
     * 2-key TDES, 0001 3-key) ‖ length in bits (0080, 00C0).
     */
    static byte[][] deriveTdes(byte[] kbpk) {
        int alg = kbpk.length == 16 ? 0 : 1;
        return new byte[][] {derive(kbpk, 0, alg, false), derive(kbpk, 1, alg, false)};
    }

    /**
     * Key derivation binding with AES (version D): the same derivation data with algorithm 0002,
     * 0003, 0004 (AES-128, -192, -256) and AES-CMAC, 16-byte output blocks truncated to the KBPK
     * length.
     */
    static byte[][] deriveAes(byte[] kbpk) {
        int alg = switch (kbpk.length) {
            case 16 -> 2;
            case 24 -> 3;
            default -> 4;
        };
        return new byte[][] {derive(kbpk, 0, alg, true), derive(kbpk, 1, alg, true)};
    }

    private static byte[] derive(byte[] kbpk, int usage, int alg, boolean aes) {
        int bits = kbpk.length * 8;
        int outBlock = aes ? 16 : 8;
        byte[] out = new byte[(kbpk.length + outBlock - 1) / outBlock * outBlock];
        for (int counter = 1; (counter - 1) * outBlock < kbpk.length; counter++) {
            byte[] data = {(byte) counter, (byte) (usage >>> 8), (byte) usage, 0, (byte) (alg >>> 8), (byte) alg,
                (byte) (bits >>> 8), (byte) bits};
            byte[] k = aes ? Cmac.aes(kbpk, data) : Cmac.tdes(kbpk, data);
            System.arraycopy(k, 0, out, (counter - 1) * outBlock, outBlock);
        }
        return Arrays.copyOf(out, kbpk.length);
    }

    static byte[] hex(String s, String what) {
        try {
            return Hex.decode(s);
        } catch (IllegalArgumentException e) {
            throw new KeyBlockException(what + " is not hex");
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
