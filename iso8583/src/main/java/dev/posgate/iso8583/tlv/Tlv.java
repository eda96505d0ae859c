package dev.posgate.iso8583.tlv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One BER-TLV data object: a tag (one or two bytes, as an int: {@code 0x5A}, {@code 0xDF01}) and either a
 * primitive value or, for a constructed object, its children.
 *
 * <p>Immutable: the value array is copied in and out ({@link #valueUnsafe()} gives the internal array to
 * hot paths that promise not to modify it).
 */
public final class Tlv {
    private final int tag;
    private final byte[] value;
    private final List<Tlv> children;

    private Tlv(int tag, byte[] value, List<Tlv> children) {
        BerTlv.checkTag(tag);
        this.tag = tag;
        this.value = value;
        this.children = children;
    }

    /** A primitive object; {@code value} is copied. */
    public static Tlv of(int tag, byte[] value) {
        return new Tlv(tag, value.clone(), null);
    }

    /** A primitive object holding one byte. */
    public static Tlv ofByte(int tag, int value) {
        return new Tlv(tag, new byte[] {(byte) value}, null);
    }

    /** A primitive object holding an unsigned big-endian integer of {@code size} bytes (1, 2 or 4). */
    public static Tlv ofUnsigned(int tag, long value, int size) {
        if (size < 1 || size > 8 || (size < 8 && (value >>> (8 * size)) != 0)) {
            throw new IllegalArgumentException(value + " does not fit " + size + " bytes");
        }
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * (size - 1 - i)));
        }
        return new Tlv(tag, b, null);
    }

    /** A primitive object holding ASCII text. */
    public static Tlv ofAscii(int tag, String text) {
        return new Tlv(tag, text.getBytes(StandardCharsets.US_ASCII), null);
    }

    /** A constructed object. */
    public static Tlv constructed(int tag, List<Tlv> children) {
        return new Tlv(tag, null, List.copyOf(children));
    }

    /** A constructed object. */
    public static Tlv constructed(int tag, Tlv... children) {
        return new Tlv(tag, null, List.of(children));
    }

    /** Used by the decoder: takes ownership of {@code value}. */
    static Tlv primitiveOwning(int tag, byte[] value) {
        return new Tlv(tag, value, null);
    }

    static Tlv constructedOwning(int tag, List<Tlv> children) {
        return new Tlv(tag, null, Collections.unmodifiableList(children));
    }

    public int tag() {
        return tag;
    }

    public boolean isConstructed() {
        return children != null;
    }

    /** The value of a primitive object (a copy). For a constructed object: its children, encoded. */
    public byte[] value() {
        return children == null ? value.clone() : BerTlv.encode(children);
    }

    /** The internal value array of a primitive object; callers must not modify it. */
    public byte[] valueUnsafe() {
        if (children != null) {
            throw new IllegalStateException(String.format("tag %X is constructed", tag));
        }
        return value;
    }

    /** The children of a constructed object (immutable), or an empty list for a primitive one. */
    public List<Tlv> children() {
        return children == null ? List.of() : children;
    }

    /** The first child with {@code tag}, or {@code null}. */
    public Tlv find(int childTag) {
        return BerTlv.find(children(), childTag);
    }

    /** The first child with {@code tag}; {@link TlvFormatException.Reason#MISSING_TAG} when absent. */
    public Tlv require(int childTag) {
        return BerTlv.require(children(), childTag);
    }

    /** Every child with {@code tag}, in order. */
    public List<Tlv> findAll(int childTag) {
        return BerTlv.findAll(children(), childTag);
    }

    /** Length of the value in bytes (primitive), or of the encoded children (constructed). */
    public int length() {
        return children == null ? value.length : BerTlv.contentLength(children);
    }

    /** The value as ASCII text. */
    public String asAscii() {
        return new String(valueUnsafe(), StandardCharsets.US_ASCII);
    }

    /** The single byte of a 1-byte value, 0..255; {@code BAD_VALUE} otherwise. */
    public int asByte() {
        return (int) asUnsigned(1);
    }

    /** The unsigned big-endian value of exactly {@code size} bytes; {@code BAD_VALUE} for another length. */
    public long asUnsigned(int size) {
        byte[] v = valueUnsafe();
        if (v.length != size) {
            throw new TlvFormatException(TlvFormatException.Reason.BAD_VALUE, tag,
                    "expected " + size + " bytes, got " + v.length);
        }
        long r = 0;
        for (byte b : v) {
            r = (r << 8) | (b & 0xFF);
        }
        return r;
    }

    /** The value, which must be exactly {@code size} bytes (a copy); {@code BAD_VALUE} otherwise. */
    public byte[] valueOfLength(int size) {
        byte[] v = valueUnsafe();
        if (v.length != size) {
            throw new TlvFormatException(TlvFormatException.Reason.BAD_VALUE, tag,
                    "expected " + size + " bytes, got " + v.length);
        }
        return v.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Tlv)) {
            return false;
        }
        Tlv t = (Tlv) o;
        return tag == t.tag && Arrays.equals(value, t.value) && Objects.equals(children, t.children);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * tag + Arrays.hashCode(value)) + Objects.hashCode(children);
    }

    /** Tag and length only: values may be keys or other secrets and are never rendered. */
    @Override
    public String toString() {
        if (children == null) {
            return String.format("%X[%d]", tag, value.length);
        }
        List<String> parts = new ArrayList<>(children.size());
        for (Tlv c : children) {
            parts.add(c.toString());
        }
        return String.format("%X{", tag) + String.join(" ", parts) + "}";
    }
}
