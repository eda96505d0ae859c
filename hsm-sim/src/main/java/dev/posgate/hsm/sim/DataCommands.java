package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimContext.requireType;
import static dev.posgate.hsm.sim.SimContext.wipe;

import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.command.DataCipherReply;
import dev.posgate.hsm.command.DataCipherRequest;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.HsmReply;
import java.util.Arrays;
import java.util.Map;

/** M0 / M2: encrypt / decrypt a data block under a ZEK, DEK/TDK or DWK. */
final class DataCommands {
    private final SimContext ctx;

    DataCommands(SimContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, CommandHandler> handlers) {
        handlers.put("M0", r -> cipher(r, true));
        handlers.put("M2", r -> cipher(r, false));
    }

    private HsmReply cipher(FieldReader r, boolean encrypt) {
        DataCipherRequest req = DataCipherRequest.read(r, encrypt);
        requireType(req.keyType(), KeyPolicy.DATA, "05");
        byte[] key = ctx.clear(req.keyType(), req.key(), HsmErrors.SOURCE_KEY_PARITY);
        try {
            byte[] in = req.data();
            byte[] out;
            byte[] next = null;
            if (req.mode() == CipherMode.ECB) {
                out = encrypt ? Tdes.encryptEcb(key, in) : Tdes.decryptEcb(key, in);
            } else {
                out = encrypt ? Tdes.encryptCbc(key, req.iv(), in) : Tdes.decryptCbc(key, req.iv(), in);
                byte[] ct = encrypt ? out : in;
                next = Arrays.copyOfRange(ct, ct.length - 8, ct.length);
            }
            return new DataCipherReply(next, out, req.hexOutput());
        } finally {
            wipe(key);
        }
    }
}
