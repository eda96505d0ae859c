package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.Sm4MacAlgorithm;
import java.util.Objects;

/**
 * Z4 (extension) generate, or Z6 verify ({@code mac} non-null), an SM4 MAC under an SM4 TAK/MAK
 * or ZAK: the UnionPay SM4 POS MAC (field 64) or the SM4 CBC-MAC (TMS TAC/SAC, sealed bodies).
 *
 * <pre>
 * Z4 algorithm(1N: 1 UnionPay POS | 2 CBC-MAC pad 1 | 3 CBC-MAC pad 2) keyType(3H: 003 | 008)
 *    key(P+32H) dataLength(4H) data(nB)
 * Z5 error(2) mac(algorithm 1: 8 bytes, the ASCII hex characters of field 64 | 2, 3: 32H)
 * Z6 ...as Z4... algorithm 1: mac(8 bytes) | 2, 3: macLength(2N: 04..16) mac(2 × macLength H)
 * Z7 error(2)   (01 = verification failure)
 * </pre>
 * A CBC-MAC is verified on its leftmost {@code macLength} bytes (4 for a TAC).
 */
public record Sm4MacRequest(Sm4MacAlgorithm algorithm, KeyType keyType, LmkKey key, byte[] data, byte[] mac)
        implements HsmRequest<MacReply> {
    /** Shortest truncated CBC-MAC Z6 verifies (a TAC/SAC). */
    public static final int MIN_MAC = 4;

    public Sm4MacRequest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("data too long");
        }
        if (mac != null && (algorithm.isCbcMac() ? mac.length < MIN_MAC || mac.length > 16 : mac.length != 8)) {
            throw new IllegalArgumentException("bad MAC length " + mac.length);
        }
        data = data.clone();
        mac = Fields.copy(mac);
    }

    public boolean isVerify() {
        return mac != null;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] mac() {
        return Fields.copy(mac);
    }

    @Override
    public String commandCode() {
        return isVerify() ? "Z6" : "Z4";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ch(algorithm.code()).ascii(keyType.code()).key(key);
        Fields.writeHexLengthBytes(w, data);
        if (mac != null) {
            if (algorithm.isCbcMac()) {
                w.decimal(mac.length, 2).hex(mac);
            } else {
                w.bytes(mac);
            }
        }
    }

    public static Sm4MacRequest read(FieldReader r, boolean verify) {
        Sm4MacAlgorithm alg = Sm4MacAlgorithm.ofCode(r.ch("MAC algorithm"));
        if (alg == null) {
            throw new FieldException("04", "unknown SM4 MAC algorithm");
        }
        KeyType type = Fields.keyType(r, "04");
        LmkKey key = r.sm4LmkKey("SM4 MAC key");
        byte[] data = Fields.hexLengthBytes(r, "data");
        byte[] mac = null;
        if (verify) {
            if (alg.isCbcMac()) {
                int n = r.decimal(2, "MAC length");
                if (n < MIN_MAC || n > 16) {
                    throw new FieldException("15", "MAC length outside 4..16");
                }
                mac = r.hex(2 * n, "MAC");
            } else {
                mac = r.bytes(8, "MAC");
            }
        }
        r.expectEnd();
        return new Sm4MacRequest(alg, type, key, data, mac);
    }

    @Override
    public MacReply readReply(FieldReader r) {
        if (isVerify()) {
            r.expectEnd();
            return new MacReply(new byte[0]);
        }
        byte[] m = algorithm.isCbcMac() ? r.hex(32, "MAC") : r.bytes(8, "MAC");
        r.expectEnd();
        return new MacReply(m);
    }

    /** Z5 writer: raw bytes for the UnionPay MAC (as ZB), hex for a CBC-MAC. */
    public static HsmReply reply(Sm4MacAlgorithm algorithm, byte[] mac) {
        byte[] m = mac.clone();
        return algorithm.isCbcMac() ? w -> w.hex(m) : w -> w.bytes(m);
    }
}
