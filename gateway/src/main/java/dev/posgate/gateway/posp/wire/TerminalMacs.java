package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.posp.upstream.MessageSealer;
import dev.posgate.hsm.Hsm;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import io.vertx.core.Future;
import dev.posgate.gateway.posp.store.TerminalSession;

/**
 * Field 64 with a terminal's MAK, in the HSM: the UnionPay ECB MAC by default, X9.19 when the
 * terminal's profile says so, the UnionPay SM4 POS MAC for an SM4 terminal ({@link TerminalCipher}).
 */
public final class TerminalMacs {
    private final TerminalCipher.InHsm ciphers;

    public TerminalMacs(Hsm hsm) {
        this.ciphers = new TerminalCipher.InHsm(hsm);
    }

    /** True when the request's field 64 is the MAC of its MAB, taken from the bytes as received. */
    public Future<Boolean> verify(TerminalSession terminal, PosMessage request) {
        byte[] mac = request.binary(64);
        if (mac == null) return Future.succeededFuture(false);
        byte[] mab = MacBlock.of(request.wire(), request.dialect());
        return ciphers.of(terminal).verifyMac(terminal.mak(), mab, mac);
    }

    /** Packs {@code reply} with field 64 computed under the terminal's MAK. */
    public Future<byte[]> seal(TerminalSession terminal, PosMessage reply) {
        TerminalCipher cipher = ciphers.of(terminal);
        return MessageSealer.seal(reply, mab -> cipher.mac(terminal.mak(), mab));
    }
}
