package dev.posgate.iso8583.tms;

import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static dev.posgate.iso8583.tms.TmsFormatException.Reason.BAD_SEALED_BODY;

/**
 * A TMS/KMS message: {@link TmsHeader} and a body that is either BER-TLV objects or, when the header's
 * sealed flag is set, the raw download-phase sealed bytes {@code IV (8) | TDES-CBC ciphertext | MAC (8)}
 * (decrypt them, then {@link BerTlv#decode(byte[])} the plaintext and build {@link #of} the result).
 *
 * <p>Immutable.
 */
public final class TmsMessage {
    /** Smallest sealed body: IV, one cipher block, MAC. */
    public static final int MIN_SEALED = 24;

    private final TmsHeader header;
    private final List<Tlv> tlvs;
    private final byte[] sealed;

    private TmsMessage(TmsHeader header, List<Tlv> tlvs, byte[] sealed) {
        this.header = header;
        this.tlvs = tlvs;
        this.sealed = sealed;
    }

    /** A clear message; the header must not have the sealed flag. */
    public static TmsMessage of(TmsHeader header, List<Tlv> tlvs) {
        if (header.isSealed()) {
            throw new IllegalArgumentException("header has the sealed flag: use sealed()");
        }
        return new TmsMessage(header, List.copyOf(tlvs), null);
    }

    /** A sealed message; the header must have the sealed flag; {@code body} is copied. */
    public static TmsMessage sealed(TmsHeader header, byte[] body) {
        if (!header.isSealed()) {
            throw new IllegalArgumentException("header lacks the sealed flag: use of()");
        }
        checkSealed(body.length);
        return new TmsMessage(header, null, body.clone());
    }

    /**
     * Parses a frame body ({@code 'T' 'M' ...}).
     *
     * @throws TmsFormatException                                for the header or the sealed body shape
     * @throws dev.posgate.iso8583.tlv.TlvFormatException        for the TLV objects of a clear body
     */
    public static TmsMessage unpack(byte[] body) {
        return unpack(body, 0, body.length);
    }

    public static TmsMessage unpack(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        TmsHeader h = TmsHeader.parse(b, off, len);
        int start = off + TmsHeader.LENGTH;
        int n = len - TmsHeader.LENGTH;
        if (h.isSealed()) {
            checkSealed(n);
            return new TmsMessage(h, null, Arrays.copyOfRange(b, start, start + n));
        }
        return new TmsMessage(h, BerTlv.decode(b, start, n), null);
    }

    private static void checkSealed(int n) {
        if (n < MIN_SEALED || n % 8 != 0) {
            throw new TmsFormatException(BAD_SEALED_BODY,
                    "sealed body of " + n + " bytes: expected IV(8) | ciphertext(8n, n>=1) | MAC(8)");
        }
    }

    /** The frame body: header then TLVs (or the sealed bytes), in one allocation. */
    public byte[] pack() {
        return pack(0);
    }

    /** The whole frame, {@code LEN | body}, in one allocation. */
    public byte[] packFrame() {
        byte[] out = pack(2);
        FrameEncoder.writeLength(out, 0, out.length - 2);
        return out;
    }

    private byte[] pack(int headroom) {
        int bodyLen = sealed != null ? sealed.length : BerTlv.contentLength(tlvs);
        int total = TmsHeader.LENGTH + bodyLen;
        if (total > FrameLimits.MAX_LEN) {
            throw new IllegalStateException("TMS message of " + total + " bytes exceeds a frame");
        }
        byte[] out = new byte[headroom + total];
        header.writeTo(out, headroom);
        if (sealed != null) {
            System.arraycopy(sealed, 0, out, headroom + TmsHeader.LENGTH, sealed.length);
        } else {
            BerTlv.write(tlvs, out, headroom + TmsHeader.LENGTH);
        }
        return out;
    }

    public TmsHeader header() {
        return header;
    }

    public boolean isSealed() {
        return sealed != null;
    }

    /** The TLV objects of a clear message (immutable). */
    public List<Tlv> tlvs() {
        if (sealed != null) {
            throw new IllegalStateException("sealed message: decrypt sealedBody() first");
        }
        return tlvs;
    }

    /** The sealed body of a sealed message (a copy). */
    public byte[] sealedBody() {
        if (sealed == null) {
            throw new IllegalStateException("not a sealed message");
        }
        return sealed.clone();
    }

    /** The first top-level object with {@code tag}, or {@code null}. */
    public Tlv find(int tag) {
        return BerTlv.find(tlvs(), tag);
    }

    /** The first top-level object with {@code tag}; {@code TlvFormatException(MISSING_TAG)} when absent. */
    public Tlv require(int tag) {
        return BerTlv.require(tlvs(), tag);
    }

    /** A clear response: same code and seq, response flag, {@code status}, the given TLVs. */
    public TmsMessage respond(String status, List<Tlv> body) {
        return of(header.response(status).withSealed(false), body);
    }

    @Override
    public String toString() {
        return "TmsMessage[" + header.code() + " seq=" + header.seq() + " flags=" + header.flags()
                + " status=" + header.status() + " "
                + (sealed != null ? "sealed " + sealed.length + "B" : tlvs.toString()) + "]";
    }
}
