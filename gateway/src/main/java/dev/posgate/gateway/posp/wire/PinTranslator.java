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

    /** PIK → ZPK in the HSM ({@code CA}); {@code zpk}: the zone's current ZPK ({@link SystemKeys#zpk}). */
    static PinTranslator inHsm(Hsm hsm, Supplier<Future<LmkKey>> zpk) {
        return (terminal, pinBlock, pan) -> zpk.get()
                .compose(key -> hsm.translatePin(terminal.pik(), key, pinBlock, pan))
                .map(translated -> translated.pinBlock());
    }
}
