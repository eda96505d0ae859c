package dev.posgate.gateway.posp;

import dev.posgate.hsm.Hsm;
import io.vertx.core.Future;

/** The PIN step of the purchase path: a terminal's PIN block under its PIK, re-encrypted for the host. */
interface PinTranslator {

    /**
     * The ISO 0 block under the zone ZPK. Fails with the HSM's error when the block does not
     * decrypt to a valid PIN block under the PIK ({@link FinancialHandler} answers {@code 55}).
     */
    Future<byte[]> toZone(TerminalSession terminal, byte[] pinBlock, String pan);

    /** PIK → ZPK in the HSM ({@code CA}), with the zone's ZPK as {@link SystemKeys} keeps it. */
    static PinTranslator inHsm(Hsm hsm, SystemKeys keys, String zone) {
        return (terminal, pinBlock, pan) -> keys.zpk(zone)
                .compose(zpk -> hsm.translatePin(terminal.pik(), zpk, pinBlock, pan))
                .map(translated -> translated.pinBlock());
    }
}
