package dev.posgate.gateway.posp;

import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.testing.Sm4Reference;

/** An SM4 terminal's request MACed on test-support's {@link Sm4Reference}, not the project's crypto (docs/national-crypto.md). */
final class Sm4Sealing {
    private Sm4Sealing() {
    }

    /** The packed message with field 64 the UnionPay SM4 POS MAC under {@code mak}. */
    static byte[] sealed(PosMessage m, byte[] mak) {
        m.set(64, new byte[8]);
        byte[] body = m.pack();
        MacBlock.writeMac(body, Sm4Reference.unionPayMac(mak, MacBlock.of(body)));
        return body;
    }
}
