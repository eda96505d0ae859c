package dev.posgate.gateway.posp.wire;

import dev.posgate.hsm.Hsm;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.Sm4PinField;
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
     * The terminal's PIN block in {@code request}, or null when it sent none: field 52 (8 bytes)
     * from a TDES terminal; from an SM4 terminal the 16-byte block in field 63
     * ({@link Sm4PinField}: 52 is 8 bytes and carries zeros).
     */
    default byte[] pinBlockOf(TerminalSession terminal, PosMessage request) {
        if (terminal.sm4()) return request.has(52) ? Sm4PinField.read(request) : null;
        return request.binary(52);
    }

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
