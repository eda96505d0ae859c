package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import dev.posgate.hsm.command.HsmReply;
import java.util.Objects;

/**
 * The reply of the key-block commands: a key (under the key-block LMK, or a TR-31 block under a
 * ZMK), optionally a second key (A0 mode 1: the TR-31 export), and the 6-hex check value.
 *
 * <pre>
 * A1/A7/A9 error(2) key(S… | R…) [key(R…)] kcv(6H)
 * </pre>
 */
public record KeyBlockReply(KeyBlockKey key, KeyBlockKey exported, String kcv) implements HsmReply {

    public KeyBlockReply {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kcv, "kcv");
        if (kcv.length() != 6) {
            throw new IllegalArgumentException("check value is 6 hex characters");
        }
    }

    @Override
    public void writeFields(FieldWriter w) {
        key.write(w);
        if (exported != null) {
            exported.write(w);
        }
        w.ascii(kcv);
    }

    static KeyBlockReply read(FieldReader r, char keyScheme, boolean withExport) {
        KeyBlockKey key = KeyBlockKey.read(r, keyScheme, "key");
        KeyBlockKey exported = withExport ? KeyBlockKey.read(r, KeyBlockKey.TR31, "exported key") : null;
        String kcv = dev.posgate.crypto.Hex.encode(r.hex(6, "key check value"));
        r.expectEnd();
        return new KeyBlockReply(key, exported, kcv);
    }
}
