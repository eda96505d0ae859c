package dev.posgate.hsm.command;

import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * M0 encrypt ({@code encrypt}) or M2 decrypt a data block, TDES-ECB or TDES-CBC, no padding
 * (the data must be a non-empty multiple of 8 bytes); under an SM4 key (scheme {@code P}) SM4-ECB
 * or SM4-CBC, IVs of 32H and data a multiple of 16 (posgate extension, issue 17).
 *
 * <pre>
 * M0|M2 mode(2N: 00 ECB, 01 CBC) inputFormat(1N: 0 binary, 1 hex) outputFormat(1N)
 *       keyType(3H: 00A ZEK, 00B DEK/TDK, 30E DWK) key(1A+nH) [CBC: iv(16H)]
 *       messageLength(4H) message
 * M1|M3 error(2) [CBC: nextIv(16H)] messageLength(4H) message
 * </pre>
 * Lengths count the bytes of the field as sent (hex characters for format 1). For CBC the reply
 * IV is the last ciphertext block, ready to chain a following call.
 */
public record DataCipherRequest(boolean encrypt, CipherMode mode, KeyType keyType, LmkKey key,
        byte[] iv, byte[] data, boolean hexInput, boolean hexOutput)
        implements HsmRequest<DataCipherReply> {

    public DataCipherRequest {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        if ((mode == CipherMode.CBC) != (iv != null)) {
            throw new IllegalArgumentException("an IV is required for CBC and only for CBC");
        }
        if (iv != null && iv.length != blockOf(key)) {
            throw new IllegalArgumentException("IV must be " + blockOf(key) + " bytes");
        }
        int wire = hexInput ? data.length * 2 : data.length;
        if (wire > 0xFFFF || (hexOutput ? data.length * 2 : data.length) > 0xFFFF) {
            throw new IllegalArgumentException("data too long for a 4H length");
        }
        iv = Fields.copy(iv);
        data = data.clone();
    }

    /**
     * The cipher block: 8 (TDES), or 16 for an SM4 key (scheme {@code P}, posgate extension, issue
     * 17): SM4-ECB/CBC, a 32H IV, data a multiple of 16 (docs/hsm-protocol.md section 10).
     */
    public static int blockOf(LmkKey key) {
        return key.algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4 ? 16 : 8;
    }

    @Override
    public byte[] iv() {
        return Fields.copy(iv);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public String commandCode() {
        return encrypt ? "M0" : "M2";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii(mode.code()).ch(hexInput ? '1' : '0').ch(hexOutput ? '1' : '0')
                .ascii(keyType.code()).key(key);
        if (iv != null) {
            w.hex(iv);
        }
        if (hexInput) {
            w.hexNumber(data.length * 2, 4).hex(data);
        } else {
            w.hexNumber(data.length, 4).bytes(data);
        }
    }

    public static DataCipherRequest read(FieldReader r, boolean encrypt) {
        CipherMode mode = CipherMode.ofCode(r.ascii(2, "mode flag"));
        if (mode == null) {
            throw new FieldException("02", "mode flag must be 00 (ECB) or 01 (CBC)");
        }
        char in = r.ch("input format flag");
        if (in != '0' && in != '1') {
            throw new FieldException("03", "input format must be 0 or 1");
        }
        char out = r.ch("output format flag");
        if (out != '0' && out != '1') {
            throw new FieldException("04", "output format must be 0 or 1");
        }
        KeyType type = Fields.keyType(r, "05");
        LmkKey key = r.anyLmkKey("key");
        int block = blockOf(key);
        byte[] iv = mode == CipherMode.CBC ? r.hex(block * 2, "IV") : null;
        int n = r.hexNumber(4, "message length", "06");
        byte[] data;
        if (in == '1') {
            if ((n & 1) != 0) {
                throw new FieldException("06", "odd hex message length");
            }
            data = r.hex(n, "message");
        } else {
            data = r.bytes(n, "message");
        }
        r.expectEnd();
        if (data.length == 0 || data.length % block != 0) {
            throw new FieldException("06", "message must be a non-empty multiple of " + block + " bytes");
        }
        if ((out == '1' ? data.length * 2 : data.length) > 0xFFFF) {
            throw new FieldException("06", "output too long");
        }
        return new DataCipherRequest(encrypt, mode, type, key, iv, data, in == '1', out == '1');
    }

    @Override
    public DataCipherReply readReply(FieldReader r) {
        byte[] next = mode == CipherMode.CBC ? r.hex(blockOf(key) * 2, "IV") : null;
        int n = r.hexNumber(4, "message length", "15");
        byte[] out = hexOutput ? r.hex(n, "message") : r.bytes(n, "message");
        r.expectEnd();
        return new DataCipherReply(next, out, hexOutput);
    }
}
