package dev.posgate.iso8583.pos;

import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Field 55 (EMV/PBOC ICC data, LLLVAR b..255) as the POSP uses it (docs/posp.md, "IC cards"):
 * validated as BER-TLV with {@link BerTlv#decodeEmv}, cut to the tags a reversal carries, and
 * cleared of the cardholder data some cards put in it. Never rendered: {@link PosMessage#toString}
 * shows only its length.
 */
public final class IccData {
    /** ARPC and authorisation response code, returned by the issuer. */
    public static final int ISSUER_AUTHENTICATION_DATA = 0x91;
    /** Issuer script templates 1 and 2. */
    public static final int SCRIPT_TEMPLATE_1 = 0x71;
    public static final int SCRIPT_TEMPLATE_2 = 0x72;
    /** Issuer script results (PBOC / UnionPay). */
    public static final int SCRIPT_RESULT = 0xDF31;

    /**
     * The tags of field 55 in a reversal (0400) of an IC transaction, UnionPay's list for 冲正
     * (reversal) in its POS field-55 usage table (Q/CUP 006 IC card joint technical specification,
     * ISO8583 field 55 by message): TVR 95, issuer application data 9F10, IFD serial number 9F1E,
     * ATC 9F36, and the issuer script result DF31 when present.
     */
    public static final List<Integer> REVERSAL_TAGS = List.of(0x95, 0x9F10, 0x9F1E, 0x9F36, SCRIPT_RESULT);

    /**
     * Cardholder data a card may expose in field 55: track 2 equivalent 57, PAN 5A, track 1 56,
     * cardholder name 5F20, track 1/2 discretionary data 9F1F/9F20, track 2 of a contactless MSD 9F6B.
     */
    public static final Set<Integer> CARDHOLDER_TAGS = Set.of(0x56, 0x57, 0x5A, 0x5F20, 0x9F1F, 0x9F20, 0x9F6B);

    private IccData() {}

    /**
     * The objects of a field 55.
     *
     * @throws dev.posgate.iso8583.tlv.TlvFormatException when it is not well-formed BER-TLV (or empty)
     */
    public static List<Tlv> parse(byte[] field55) {
        if (field55 == null || field55.length == 0) {
            throw new dev.posgate.iso8583.tlv.TlvFormatException(
                    dev.posgate.iso8583.tlv.TlvFormatException.Reason.TRUNCATED, -1, "empty ICC data");
        }
        return BerTlv.decodeEmv(field55);
    }

    /** True when {@code field55} parses as BER-TLV. */
    public static boolean wellFormed(byte[] field55) {
        try {
            parse(field55);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The {@link #REVERSAL_TAGS} present in {@code field55}, in that order; null when none (or malformed). */
    public static byte[] reversalSubset(byte[] field55) {
        if (field55 == null || !wellFormed(field55)) return null;
        List<Tlv> all = parse(field55);
        List<Tlv> out = new ArrayList<>();
        for (int tag : REVERSAL_TAGS) {
            Tlv t = BerTlv.find(all, tag);
            if (t != null) out.add(t);
        }
        return out.isEmpty() ? null : BerTlv.encode(out);
    }

    /** {@code field55} without the {@link #CARDHOLDER_TAGS} (top level); null when nothing is left. */
    public static byte[] withoutCardholderData(byte[] field55) {
        List<Tlv> out = new ArrayList<>();
        for (Tlv t : parse(field55)) if (!CARDHOLDER_TAGS.contains(t.tag())) out.add(t);
        return out.isEmpty() ? null : BerTlv.encode(out);
    }

    /**
     * True for UnionPay's fallback entry modes, field 22 {@code 80x} (magnetic stripe after a failed
     * chip read) and {@code 90x} (full magnetic stripe read of a chip card).
     */
    public static boolean fallback(String field22) {
        return field22 != null && (field22.startsWith("80") || field22.startsWith("90"));
    }
}
