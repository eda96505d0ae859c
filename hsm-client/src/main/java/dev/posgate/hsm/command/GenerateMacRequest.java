package dev.posgate.hsm.command;

import dev.posgate.crypto.PaddingMethod;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.hsm.MacParams;
import java.util.Objects;

/**
 * M6 generate a MAC ({@link VerifyMacRequest} adds the MAC for M8).
 *
 * <pre>
 * M6 mode(1N: 0 only block) inputFormat(1N: 0 binary, 1 hex) macSize(1N: 0 = 8H, 1 = 16H)
 *    algorithm(1N: 1 ISO 9797-1 alg 1, 3 alg 3) padding(1N: 0 none, 1, 2, 3)
 *    keyType(3H: 003 TAK, 008 ZAK, 30E DWK) key(1A+nH) messageLength(4H) message
 * M7 error(2) mac(8H | 16H)
 * </pre>
 * The message length counts the bytes of the message field as sent (hex characters for input
 * format 1).
 */
public record GenerateMacRequest(MacParams params, KeyType keyType, LmkKey key, byte[] message,
        boolean hexInput) implements MacFields {

    public GenerateMacRequest {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        if ((hexInput ? message.length * 2L : message.length) > 0xFFFF) {
            throw new IllegalArgumentException("message too long for a 4H length");
        }
        message = message.clone();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    @Override
    public String commandCode() {
        return "M6";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ch('0').ch(hexInput ? '1' : '0').ch(params.macLength() == 8 ? '1' : '0')
                .ch(params.algorithm().code()).ch(paddingCode(params.padding()))
                .ascii(keyType.code()).key(key);
        if (hexInput) {
            w.hexNumber(message.length * 2, 4).hex(message);
        } else {
            w.hexNumber(message.length, 4).bytes(message);
        }
    }

    public static char paddingCode(PaddingMethod p) {
        switch (p) {
            case NONE: return '0';
            case METHOD_1: return '1';
            case METHOD_2: return '2';
            default: return '3';
        }
    }

    public static PaddingMethod padding(char c) {
        switch (c) {
            case '0': return PaddingMethod.NONE;
            case '1': return PaddingMethod.METHOD_1;
            case '2': return PaddingMethod.METHOD_2;
            case '3': return PaddingMethod.METHOD_3;
            default: return null;
        }
    }

    public static GenerateMacRequest read(FieldReader r) {
        GenerateMacRequest req = readCommon(r);
        r.expectEnd();
        return req;
    }

    static GenerateMacRequest readCommon(FieldReader r) {
        if (r.ch("mode flag") != '0') {
            throw new FieldException("02", "only mode 0 (single block) is supported");
        }
        char in = r.ch("input format flag");
        if (in != '0' && in != '1') {
            throw new FieldException("03", "input format must be 0 (binary) or 1 (hex)");
        }
        char size = r.ch("MAC size");
        if (size != '0' && size != '1') {
            throw new FieldException("15", "MAC size must be 0 or 1");
        }
        MacAlgorithm alg = MacAlgorithm.ofCode(r.ch("MAC algorithm"));
        if (alg == null) {
            throw new FieldException("04", "unsupported MAC algorithm");
        }
        PaddingMethod pad = padding(r.ch("padding method"));
        if (pad == null) {
            throw new FieldException("09", "invalid padding method");
        }
        KeyType type = Fields.keyType(r, "05");
        LmkKey key = r.lmkKey("MAC key");
        int n = r.hexNumber(4, "message length", "06");
        byte[] message;
        if (in == '1') {
            if ((n & 1) != 0) {
                throw new FieldException("06", "odd hex message length");
            }
            message = r.hex(n, "message");
        } else {
            message = r.bytes(n, "message");
        }
        return new GenerateMacRequest(new MacParams(alg, pad, size == '1' ? 8 : 4), type, key, message, in == '1');
    }

    @Override
    public MacReply readReply(FieldReader r) {
        return MacReply.read(r, params.macLength());
    }
}
