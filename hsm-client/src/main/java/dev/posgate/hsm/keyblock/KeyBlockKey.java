package dev.posgate.hsm.keyblock;

import dev.posgate.crypto.KeyBlockException;
import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import java.util.Objects;

/**
 * A key in a key block, carried opaquely: scheme tag {@code S} (under the HSM's key-block LMK,
 * payShield "Thales key block") or {@code R} (a TR-31 / X9.143 block under a key-encrypting key,
 * for exchange with another party), followed by the block text. The clear header (key usage,
 * algorithm, mode of use, version, exportability, optional blocks) is readable; the key is not.
 *
 * <p>On the wire the block's own length field (characters 2-5 after the tag) says where it ends,
 * which is how {@link #read} finds the next field. Immutable.
 */
public final class KeyBlockKey {
    /** Under the key-block LMK. */
    public static final char UNDER_LMK = 'S';
    /** A TR-31 block under a key-encrypting key. */
    public static final char TR31 = 'R';

    private final char scheme;
    private final String block;
    private final KeyBlockHeader header;

    private KeyBlockKey(char scheme, String block) {
        this.scheme = scheme;
        this.block = block;
        try {
            KeyBlockHeader.Parsed p = KeyBlockHeader.parse(block);
            if (p.declaredBlockLength() != block.length()) {
                throw new IllegalArgumentException("key block length field " + p.declaredBlockLength()
                        + " does not match " + block.length() + " characters");
            }
            this.header = p.header();
        } catch (KeyBlockException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Parses {@code S…} or {@code R…}.
     *
     * @throws IllegalArgumentException when the tag is neither or the header is malformed
     */
    public static KeyBlockKey parse(String wire) {
        Objects.requireNonNull(wire, "wire");
        if (wire.length() < 2 || (wire.charAt(0) != UNDER_LMK && wire.charAt(0) != TR31)) {
            throw new IllegalArgumentException("not a key block key (S or R)");
        }
        return new KeyBlockKey(wire.charAt(0), wire.substring(1));
    }

    /** A key under the key-block LMK from its block text (without the {@code S}). */
    public static KeyBlockKey underLmk(String block) {
        return new KeyBlockKey(UNDER_LMK, block);
    }

    /** A TR-31 block (without the {@code R}). */
    public static KeyBlockKey tr31(String block) {
        return new KeyBlockKey(TR31, block);
    }

    /**
     * Reads a key block field: the tag ({@code expected}, or either when 0), then the 5 characters
     * of version and length, then the rest of the block.
     */
    public static KeyBlockKey read(FieldReader r, char expected, String what) {
        char tag = r.ch(what);
        if ((expected != 0 && tag != expected) || (tag != UNDER_LMK && tag != TR31)) {
            throw new FieldException("26", what + ": key scheme " + tag + " where a key block is expected");
        }
        String head = r.ascii(5, what);
        int len;
        try {
            len = Integer.parseInt(head.substring(1));
        } catch (NumberFormatException e) {
            throw new FieldException("15", what + ": key block length is not decimal");
        }
        if (len < KeyBlockHeader.FIXED_LENGTH) {
            throw new FieldException("15", what + ": key block length " + len + " too short");
        }
        String block = head + r.ascii(len - 5, what);
        try {
            return new KeyBlockKey(tag, block);
        } catch (IllegalArgumentException e) {
            throw new FieldException("15", what + ": " + e.getMessage());
        }
    }

    /** Writes tag + block. */
    public void write(FieldWriter w) {
        w.ch(scheme).ascii(block);
    }

    /** {@code S} or {@code R}. */
    public char scheme() {
        return scheme;
    }

    /** The block text without the tag. */
    public String block() {
        return block;
    }

    /** The clear attributes. */
    public KeyBlockHeader header() {
        return header;
    }

    /** Tag + block: the stored form. */
    public String toWire() {
        return scheme + block;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBlockKey k && k.scheme == scheme && k.block.equals(block);
    }

    @Override
    public int hashCode() {
        return scheme * 31 + block.hashCode();
    }

    /** The header only: the encrypted part identifies a key and is not logged. */
    @Override
    public String toString() {
        return "KeyBlockKey[" + scheme + header + "]";
    }
}
