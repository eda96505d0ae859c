package dev.posgate.gateway.posp.wire;

import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.LmkKey;
import io.vertx.core.Future;
import java.util.function.Supplier;
import dev.posgate.gateway.posp.store.TerminalSession;

/** The PIN step of the purchase path: a terminal's PIN block under its PIK, re-encrypted for the host. */
public interface PinTranslator {

    /**
     * The ISO 0 block under the zone ZPK. Fails with the HSM's error when the block does not
     * decrypt to a valid PIN block under the PIK ({@link FinancialHandler} answers {@code 55}).
     */
    Future<byte[]> toZone(TerminalSession terminal, byte[] pinBlock, String pan);

    /**
     * PIK → ZPK in the HSM, per the terminal's key algorithm ({@link TerminalCipher}): {@code CA}
     * for a TDES PIK, {@code Z8} for an SM4 PIK's 16-byte block; {@code zpk}: the zone's current
     * ZPK ({@link SystemKeys#zpk}).
     */
    static PinTranslator inHsm(Hsm hsm, Supplier<Future<LmkKey>> zpk) {
        TerminalCipher.InHsm ciphers = new TerminalCipher.InHsm(hsm);
        return (terminal, pinBlock, pan) -> zpk.get()
                .compose(key -> ciphers.of(terminal).pinToZone(terminal.pik(), key, pinBlock, pan));
    }
}
