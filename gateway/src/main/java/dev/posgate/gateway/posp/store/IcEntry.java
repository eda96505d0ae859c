package dev.posgate.gateway.posp.store;

import dev.posgate.crypto.Hex;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * One IC-card parameter (an AID record) or EMV CA public key, as its TLV body in the UnionPay layout
 * of field 62 (9F06 AID/RID, 9F22 key index, DF05 expiry, DF06/DF07 algorithms, DF02 modulus, DF04
 * exponent, DF03 check hash; mposSDK's 0810/370 and 0810/380). {@code key} identifies the entry:
 * the AID, or RID followed by the index.
 */
public record IcEntry(Kind kind, String key, byte[] tlv, String checkHash) {
    static final int AID = 0x9F06;
    static final int CAPK_INDEX = 0x9F22;
    static final int EXPIRY = 0xDF05;
    static final int MODULUS = 0xDF02;
    static final int EXPONENT = 0xDF04;
    static final int CHECK_HASH = 0xDF03;

    public enum Kind { AID, CAPK }

    /** A TLV body an operator loads; a CA key's DF03, when present, must be its EMV check hash. */
    public static IcEntry parse(Kind kind, byte[] tlv) {
        List<Tlv> tags;
        try {
            tags = BerTlv.decode(tlv);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a TLV body: " + e.getMessage());
        }
        byte[] aid = value(tags, AID);
        if (aid.length < 5 || aid.length > 16) throw new IllegalArgumentException("9F06 must be 5..16 bytes");
        if (kind == Kind.AID) return new IcEntry(kind, Hex.encode(aid), tlv.clone(), Hex.encode(sha1(tlv)));
        if (aid.length != 5) throw new IllegalArgumentException("a CA key's 9F06 is its 5-byte RID");
        byte[] index = value(tags, CAPK_INDEX);
        if (index.length != 1) throw new IllegalArgumentException("9F22 must be 1 byte");
        ByteArrayOutputStream hashed = new ByteArrayOutputStream(); // EMV Book 2 A2.1: RID | index | modulus | exponent
        hashed.writeBytes(aid);
        hashed.writeBytes(index);
        hashed.writeBytes(value(tags, MODULUS));
        hashed.writeBytes(value(tags, EXPONENT));
        byte[] hash = sha1(hashed.toByteArray());
        Tlv stated = BerTlv.find(tags, CHECK_HASH);
        if (stated != null && !Arrays.equals(stated.value(), hash)) {
            throw new IllegalArgumentException("DF03 is not the SHA-1 of RID, index, modulus and exponent of key " + Hex.encode(aid) + "/" + Hex.encode(index));
        }
        return new IcEntry(kind, Hex.encode(aid) + Hex.encode(index), tlv.clone(), Hex.encode(hash));
    }

    /** What a status answer lists for this entry: the AID, or RID, index and expiry (mposSDK's 0830/372 and 0830/382). */
    public byte[] summary() {
        List<Tlv> tags = BerTlv.decode(tlv);
        if (kind == Kind.AID) return BerTlv.encode(BerTlv.require(tags, AID));
        Tlv expiry = BerTlv.find(tags, EXPIRY);
        return expiry == null
                ? BerTlv.encode(List.of(BerTlv.require(tags, AID), BerTlv.require(tags, CAPK_INDEX)))
                : BerTlv.encode(List.of(BerTlv.require(tags, AID), BerTlv.require(tags, CAPK_INDEX), expiry));
    }

    /** The keys of the entries a terminal names in field 62 (9F06, and 9F22 after each 9F06 for CA keys). */
    public static List<String> keysIn(Kind kind, byte[] field62) {
        List<Tlv> tags = BerTlv.decode(field62);
        java.util.ArrayList<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).tag() != AID) continue;
            String key = Hex.encode(tags.get(i).value());
            if (kind == Kind.CAPK) {
                if (i + 1 >= tags.size() || tags.get(i + 1).tag() != CAPK_INDEX) continue;
                key += Hex.encode(tags.get(i + 1).value());
            }
            keys.add(key);
        }
        return keys;
    }

    private static byte[] value(List<Tlv> tags, int tag) {
        Tlv t = BerTlv.find(tags, tag);
        if (t == null) throw new IllegalArgumentException(String.format("tag %X missing", tag));
        return t.value();
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
