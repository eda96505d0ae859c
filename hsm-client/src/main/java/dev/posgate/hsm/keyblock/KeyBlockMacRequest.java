package dev.posgate.hsm.keyblock;

import dev.posgate.crypto.PaddingMethod;
import dev.posgate.hsm.MacAlgorithm;
import dev.posgate.hsm.MacParams;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.GenerateMacRequest;
import dev.posgate.hsm.command.MacFields;
import dev.posgate.hsm.command.MacReply;
import java.util.Objects;

/**
 * M6 / M8 with a key under the key-block LMK (issue 16, docs/key-blocks.md "Key-block keys in use"):
 * the M6 layout of section 3 of docs/hsm-protocol.md with key type {@code FFF} and an {@code S} key,
 * as payShield takes key-block keys in the variant commands' key fields.
 *
 * <pre>
 * M6 '0' inputFormat(1N: 0) macSize(1N) algorithm(1N: 1 | 3) padding(1N) 'FFF' key(S…) messageLength(4H) message
 * M8 …the same… mac(8H | 16H)
 * </pre>
 * M8 is {@code VerifyMacRequest<KeyBlockMacRequest>}, read with {@code VerifyMacRequest.read(r, KeyBlockMacRequest::readCommon)}.
 */
public record KeyBlockMacRequest(MacParams params, KeyBlockKey key, byte[] message) implements MacFields {

    public KeyBlockMacRequest {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        if (key.scheme() != KeyBlockKey.UNDER_LMK) throw new IllegalArgumentException("an S key (under the key-block LMK)");
        if (message.length > 0xFFFF) throw new IllegalArgumentException("message too long for a 4H length");
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
        w.ch('0').ch('0').ch(params.macLength() == 8 ? '1' : '0').ch(params.algorithm().code())
                .ch(GenerateMacRequest.paddingCode(params.padding())).ascii("FFF");
        key.write(w);
        w.hexNumber(message.length, 4).bytes(message);
    }

    /** Whether an M6/M8 command (code included) carries key type {@code FFF}: a key-block key. */
    public static boolean isKeyBlock(byte[] command) {
        return command.length >= 11 && command[7] == 'F' && command[8] == 'F' && command[9] == 'F' && command[10] == 'S';
    }

    public static KeyBlockMacRequest read(FieldReader r) {
        KeyBlockMacRequest req = readCommon(r);
        r.expectEnd();
        return req;
    }

    /** The M6 fields, without expecting the end (M8 follows them with the MAC). */
    public static KeyBlockMacRequest readCommon(FieldReader r) {
        if (r.ch("mode flag") != '0') throw new FieldException("02", "only mode 0 (single block) is supported");
        if (r.ch("input format flag") != '0') throw new FieldException("03", "key-block M6/M8: binary input only");
        char size = r.ch("MAC size");
        if (size != '0' && size != '1') throw new FieldException("15", "MAC size must be 0 or 1");
        MacAlgorithm alg = MacAlgorithm.ofCode(r.ch("MAC algorithm"));
        if (alg == null) throw new FieldException("04", "unsupported MAC algorithm");
        PaddingMethod pad = GenerateMacRequest.padding(r.ch("padding method"));
        if (pad == null) throw new FieldException("09", "invalid padding method");
        if (!r.ascii(3, "key type").equals("FFF")) throw new FieldException("05", "key-block M6/M8 need key type FFF");
        KeyBlockKey key = KeyBlockKey.read(r, KeyBlockKey.UNDER_LMK, "MAC key");
        int n = r.hexNumber(4, "message length", "06");
        byte[] message = r.bytes(n, "message");
        return new KeyBlockMacRequest(new MacParams(alg, pad, size == '1' ? 8 : 4), key, message);
    }

    @Override
    public MacReply readReply(FieldReader r) {
        return MacReply.read(r, params.macLength());
    }
}
