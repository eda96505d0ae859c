package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * ZA (extension) generate, or ZC verify ({@code mac} non-null), the UnionPay POS "ECB" MAC
 * (protocol.md section 2) over a MAC block.
 *
 * <pre>
 * ZA keyType(3H: 003 TAK/MAK, 008 ZAK) key(1A+nH) mabLength(4H) mab(nB)
 * ZB error(2) mac(8 bytes: the 8 ASCII hex characters carried in field 64)
 * ZC ...as ZA... mac(8 bytes, the received field 64)
 * ZD error(2)   (01 = verification failure)
 * </pre>
 */
public record UnionPayMacRequest(KeyType keyType, LmkKey key, byte[] mab, byte[] mac)
        implements HsmRequest<MacReply> {

    public UnionPayMacRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mab, "mab");
        if (mab.length > 0xFFFF) {
            throw new IllegalArgumentException("MAB too long");
        }
        if (mac != null && mac.length != 8) {
            throw new IllegalArgumentException("field 64 is 8 bytes");
        }
        mab = mab.clone();
        mac = Fields.copy(mac);
    }

    public boolean isVerify() {
        return mac != null;
    }

    @Override
    public byte[] mab() {
        return mab.clone();
    }

    @Override
    public byte[] mac() {
        return Fields.copy(mac);
    }

    @Override
    public String commandCode() {
        return isVerify() ? "ZC" : "ZA";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(keyType.code()).key(key);
        Fields.writeHexLengthBytes(w, mab);
        if (mac != null) {
            w.bytes(mac);
        }
    }

    public static UnionPayMacRequest read(FieldReader r, boolean verify) {
        KeyType type = Fields.keyType(r, "04");
        LmkKey key = r.lmkKey("MAK");
        byte[] mab = Fields.hexLengthBytes(r, "MAB");
        byte[] mac = verify ? r.bytes(8, "MAC") : null;
        r.expectEnd();
        return new UnionPayMacRequest(type, key, mab, mac);
    }

    /** ZB: the MAC (8 raw bytes); ZD: an empty MAC. */
    @Override
    public MacReply readReply(FieldReader r) {
        if (isVerify()) {
            r.expectEnd();
            return new MacReply(new byte[0]);
        }
        byte[] m = r.bytes(8, "MAC");
        r.expectEnd();
        return new MacReply(m);
    }

    /** ZB writer: raw bytes, unlike M7's hex. */
    public static HsmReply reply(byte[] mac8) {
        byte[] m = mac8.clone();
        return w -> w.bytes(m);
    }
}
