package dev.posgate.crypto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The clear header of a TR-31 / ANSI X9.143 key block, and of a key-block-LMK key (payShield
 * "Thales key block", scheme {@code S}), which shares the layout:
 *
 * <pre>
 *   offset len  field
 *   0      1    key block version ID   A B C D (TR-31), 0 1 (key-block LMK: TDES, AES)
 *   1      4    key block length       decimal, the whole block in characters (header + key data + MAC)
 *   5      2    key usage              e.g. P0 PIN encryption, K0 KEK, M3 MAC ISO 9797-1 alg 3, B0 BDK
 *   7      1    algorithm              T TDES, A AES, D DES, H HMAC, R RSA, E ECC ...
 *   8      1    mode of use            E encrypt/wrap, D decrypt/unwrap, B both, G/V/C MAC, N none, X derive ...
 *   9      2    key version number     "00" = unused
 *   11     1    exportability          E exportable under a trusted key, N not exportable, S sensitive
 *   12     2    number of optional blocks, decimal
 *   14     2    reserved "00" (TR-31); the LMK identifier on a payShield key-block LMK
 *   16     ..   optional blocks: ID (2) | length (2 hex, counting ID and length) | data;
 *               length "00" = extended: length-of-length (2 hex, in bytes) | length (that many bytes, hex)
 * </pre>
 *
 * <p>Immutable. {@link #parse} keeps optional blocks exactly as received (a pad block {@code PB}
 * included), so the authenticated header text is what was received; {@link #encode} writes
 * them back with the shortest length encoding. Building a header for wrapping, a pad block
 * (filled with {@code '0'}) is added by {@link #padTo} when the header length is not a
 * multiple of the cipher block.
 */
public final class KeyBlockHeader {
    /** Length of the fixed part of the header. */
    public static final int FIXED_LENGTH = 16;
    /** Largest key block length (4 decimal digits). */
    public static final int MAX_LENGTH = 9999;

    private final char versionId;
    private final String keyUsage;
    private final char algorithm;
    private final char modeOfUse;
    private final String keyVersion;
    private final char exportability;
    private final String reserved;
    private final List<OptionalBlock> optionalBlocks;

    /** One optional block: a 2-character ID and printable ASCII data. */
    public record OptionalBlock(String id, String data) {
        public OptionalBlock {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(data, "data");
            if (id.length() != 2 || !alnum(id)) {
                throw new IllegalArgumentException("optional block ID must be 2 alphanumeric characters: " + id);
            }
            if (!printable(data)) {
                throw new IllegalArgumentException("optional block " + id + " data must be printable ASCII");
            }
        }

        /** The encoded block: ID, length (2 hex, or extended), data. */
        String encode() {
            int len = 4 + data.length();
            if (len <= 0xFF) {
                return id + String.format("%02X", len) + data;
            }
            int ext = 10 + data.length();
            if (ext > 0xFFFF) {
                throw new IllegalArgumentException("optional block " + id + " too long: " + data.length());
            }
            return id + "0002" + String.format("%04X", ext) + data;
        }
    }

    private KeyBlockHeader(char versionId, String keyUsage, char algorithm, char modeOfUse, String keyVersion,
            char exportability, String reserved, List<OptionalBlock> optionalBlocks) {
        this.versionId = versionId;
        this.keyUsage = keyUsage;
        this.algorithm = algorithm;
        this.modeOfUse = modeOfUse;
        this.keyVersion = keyVersion;
        this.exportability = exportability;
        this.reserved = reserved;
        this.optionalBlocks = optionalBlocks;
    }

    /**
     * A header without optional blocks and reserved field {@code "00"}.
     *
     * @throws IllegalArgumentException when a field has the wrong length or characters
     */
    public static KeyBlockHeader of(char versionId, String keyUsage, char algorithm, char modeOfUse, String keyVersion,
            char exportability) {
        return of(versionId, keyUsage, algorithm, modeOfUse, keyVersion, exportability, "00", List.of());
    }

    /** A header with every field given. */
    public static KeyBlockHeader of(char versionId, String keyUsage, char algorithm, char modeOfUse, String keyVersion,
            char exportability, String reserved, List<OptionalBlock> optionalBlocks) {
        Objects.requireNonNull(keyUsage, "keyUsage");
        Objects.requireNonNull(keyVersion, "keyVersion");
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(optionalBlocks, "optionalBlocks");
        check(alnum(versionId), "version ID", String.valueOf(versionId));
        check(keyUsage.length() == 2 && alnum(keyUsage), "key usage", keyUsage);
        check(alnum(algorithm), "algorithm", String.valueOf(algorithm));
        check(alnum(modeOfUse), "mode of use", String.valueOf(modeOfUse));
        check(keyVersion.length() == 2 && alnum(keyVersion), "key version number", keyVersion);
        check(alnum(exportability), "exportability", String.valueOf(exportability));
        check(reserved.length() == 2 && alnum(reserved), "reserved field", reserved);
        check(optionalBlocks.size() <= 99, "number of optional blocks", String.valueOf(optionalBlocks.size()));
        return new KeyBlockHeader(versionId, keyUsage, algorithm, modeOfUse, keyVersion, exportability, reserved,
                List.copyOf(optionalBlocks));
    }

    /** The same header with another version ID (e.g. re-wrapping an LMK key as a TR-31 block). */
    public KeyBlockHeader withVersionId(char newVersionId) {
        return of(newVersionId, keyUsage, algorithm, modeOfUse, keyVersion, exportability, reserved, optionalBlocks);
    }

    /** The same header with another reserved field (the LMK identifier of a key-block LMK key). */
    public KeyBlockHeader withReserved(String newReserved) {
        return of(versionId, keyUsage, algorithm, modeOfUse, keyVersion, exportability, newReserved, optionalBlocks);
    }

    /**
     * Parses the header at the start of {@code block} (the whole key block, or at least its
     * header). Returns the header and, through {@link Parsed#length()}, how many characters it
     * takes.
     *
     * @throws KeyBlockException when the header is malformed
     */
    public static Parsed parse(CharSequence block) {
        Objects.requireNonNull(block, "block");
        if (block.length() < FIXED_LENGTH) {
            throw new KeyBlockException("key block header needs 16 characters, got " + block.length());
        }
        String s = block.toString();
        for (int i = 0; i < FIXED_LENGTH; i++) {
            if (!alnum(s.charAt(i))) {
                throw new KeyBlockException("key block header is not alphanumeric at offset " + i);
            }
        }
        String lengthField = s.substring(1, 5);
        if (!digits(lengthField)) {
            throw new KeyBlockException("key block length is not 4 digits: " + lengthField);
        }
        String count = s.substring(12, 14);
        if (!digits(count)) {
            throw new KeyBlockException("number of optional blocks is not 2 digits: " + count);
        }
        int n = Integer.parseInt(count);
        List<OptionalBlock> blocks = new ArrayList<>(n);
        int pos = FIXED_LENGTH;
        for (int b = 0; b < n; b++) {
            if (pos + 4 > s.length()) {
                throw new KeyBlockException("optional block " + (b + 1) + " of " + n + " is truncated");
            }
            String id = s.substring(pos, pos + 2);
            if (!alnum(id)) {
                throw new KeyBlockException("optional block ID is not alphanumeric: " + id);
            }
            int len = hexField(s, pos + 2, 2, id);
            int headerLen = 4;
            if (len == 0) {
                if (pos + 6 > s.length()) {
                    throw new KeyBlockException("optional block " + id + " extended length is truncated");
                }
                int lenOfLen = hexField(s, pos + 4, 2, id);
                if (lenOfLen == 0 || lenOfLen > 2 || pos + 6 + 2 * lenOfLen > s.length()) {
                    throw new KeyBlockException("optional block " + id + " has a bad extended length");
                }
                len = hexField(s, pos + 6, 2 * lenOfLen, id);
                headerLen = 6 + 2 * lenOfLen;
            }
            if (len < headerLen || pos + len > s.length()) {
                throw new KeyBlockException("optional block " + id + " length " + len + " does not fit");
            }
            String data = s.substring(pos + headerLen, pos + len);
            if (!printable(data)) {
                throw new KeyBlockException("optional block " + id + " data is not printable ASCII");
            }
            blocks.add(new OptionalBlock(id, data));
            pos += len;
        }
        KeyBlockHeader h = new KeyBlockHeader(s.charAt(0), s.substring(5, 7), s.charAt(7), s.charAt(8),
                s.substring(9, 11), s.charAt(11), s.substring(14, 16), List.copyOf(blocks));
        return new Parsed(h, pos, Integer.parseInt(lengthField));
    }

    /** A parsed header: the header, the characters it takes, and the declared block length. */
    public record Parsed(KeyBlockHeader header, int length, int declaredBlockLength) {
    }

    /**
     * The header text for a key block of {@code blockLength} characters.
     *
     * @throws IllegalArgumentException when the length does not fit 4 digits
     */
    public String encode(int blockLength) {
        if (blockLength < 0 || blockLength > MAX_LENGTH) {
            throw new IllegalArgumentException("key block length " + blockLength + " exceeds " + MAX_LENGTH);
        }
        StringBuilder sb = new StringBuilder(FIXED_LENGTH + 32);
        sb.append(versionId).append(String.format("%04d", blockLength)).append(keyUsage).append(algorithm)
                .append(modeOfUse).append(keyVersion).append(exportability)
                .append(String.format("%02d", optionalBlocks.size())).append(reserved);
        for (OptionalBlock b : optionalBlocks) {
            sb.append(b.encode());
        }
        return sb.toString();
    }

    /** Length of the encoded header in characters. */
    public int encodedLength() {
        return encode(0).length();
    }

    /**
     * This header with a pad block {@code PB} (data of {@code '0'}s) appended when its encoded
     * length is not a multiple of {@code multiple}; unchanged when it is.
     */
    public KeyBlockHeader padTo(int multiple) {
        int len = encodedLength();
        if (len % multiple == 0) {
            return this;
        }
        int pad = multiple - len % multiple;
        while (pad < 4) {
            pad += multiple;
        }
        List<OptionalBlock> blocks = new ArrayList<>(optionalBlocks);
        blocks.add(new OptionalBlock("PB", "0".repeat(pad - 4)));
        return of(versionId, keyUsage, algorithm, modeOfUse, keyVersion, exportability, reserved, blocks);
    }

    public char versionId() {
        return versionId;
    }

    public String keyUsage() {
        return keyUsage;
    }

    public char algorithm() {
        return algorithm;
    }

    public char modeOfUse() {
        return modeOfUse;
    }

    public String keyVersion() {
        return keyVersion;
    }

    public char exportability() {
        return exportability;
    }

    /** The reserved field ({@code "00"} in TR-31; the LMK identifier of a key-block LMK key). */
    public String reserved() {
        return reserved;
    }

    /** Optional blocks in order, a pad block included. */
    public List<OptionalBlock> optionalBlocks() {
        return Collections.unmodifiableList(optionalBlocks);
    }

    /** The data of the first optional block with this ID, or null. */
    public String optionalBlock(String id) {
        for (OptionalBlock b : optionalBlocks) {
            if (b.id().equals(id)) {
                return b.data();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBlockHeader h && encode(0).equals(h.encode(0));
    }

    @Override
    public int hashCode() {
        return encode(0).hashCode();
    }

    /** The header text with a zero length field (no secret in a header). */
    @Override
    public String toString() {
        return encode(0);
    }

    private static int hexField(String s, int off, int len, String id) {
        int v = 0;
        for (int i = off; i < off + len; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new KeyBlockException("optional block " + id + " length is not hex");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static void check(boolean ok, String field, String value) {
        if (!ok) {
            throw new IllegalArgumentException("bad key block " + field + ": '" + value + "'");
        }
    }

    static boolean alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static boolean alnum(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!alnum(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
