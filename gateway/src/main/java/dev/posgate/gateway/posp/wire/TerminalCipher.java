package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.posp.store.TerminalSession;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacParams;
import io.vertx.core.Future;

/**
 * What differs between a TDES and an SM4 terminal once its keys are known: the MAC of field 64
 * under its MAK and the translation of its field-52 PIN block under its PIK to the host's ZPK.
 * Every operation is an HSM command. {@link #of} is the one place that chooses, from the
 * terminal's profile: UnionPay ECB (TDES, default), X9.19 (TDES, profile {@code X919}) or the
 * UnionPay SM4 POS MAC with the SM4 PIN block (SM4; protocol.md section 5).
 */
public interface TerminalCipher {

    /** True when {@code field64} is the MAC of {@code mab} under the MAK. */
    Future<Boolean> verifyMac(LmkKey mak, byte[] mab, byte[] field64);

    /** The 8 bytes of field 64 over {@code mab} under the MAK. */
    Future<byte[]> mac(LmkKey mak, byte[] mab);

    /**
     * The terminal's PIN block (under its PIK) as an ISO format-0 block under the zone ZPK; fails
     * with the HSM's error when it does not decode under the PIK.
     */
    Future<byte[]> pinToZone(LmkKey pik, LmkKey zpk, byte[] pinBlock, String pan);

    /** The three ciphers over one HSM. */
    final class InHsm {
        private final TerminalCipher unionPayEcb;
        private final TerminalCipher x919;
        private final TerminalCipher sm4;

        public InHsm(Hsm hsm) {
            this.unionPayEcb = new Tdes(hsm, false);
            this.x919 = new Tdes(hsm, true);
            this.sm4 = new Sm4(hsm);
        }

        /** The cipher of {@code terminal}'s profile. */
        public TerminalCipher of(TerminalSession terminal) {
            if (terminal.keyAlgorithm() == Terminal.KeyAlgorithm.SM4) return sm4;
            return terminal.x919() ? x919 : unionPayEcb;
        }
    }

    /** TDES keys: UnionPay ECB MAC (or X9.19), PIN translation TPK → ZPK ({@code CA}), ISO 0 to ISO 0. */
    record Tdes(Hsm hsm, boolean x919) implements TerminalCipher {
        @Override
        public Future<Boolean> verifyMac(LmkKey mak, byte[] mab, byte[] field64) {
            return x919 ? hsm.verifyMac(KeyType.MAK, mak, MacParams.X9_19, mab, field64)
                    : hsm.verifyUnionPayMac(KeyType.MAK, mak, mab, field64);
        }

        @Override
        public Future<byte[]> mac(LmkKey mak, byte[] mab) {
            return x919 ? hsm.generateMac(KeyType.MAK, mak, MacParams.X9_19, mab) : hsm.generateUnionPayMac(KeyType.MAK, mak, mab);
        }

        @Override
        public Future<byte[]> pinToZone(LmkKey pik, LmkKey zpk, byte[] pinBlock, String pan) {
            return hsm.translatePin(pik, zpk, pinBlock, pan).map(t -> t.pinBlock());
        }
    }

    /**
     * SM4 keys: the UnionPay SM4 POS MAC ({@code Z4}/{@code Z6}) and the 16-byte SM4 PIN block
     * translated to the (TDES) zone ZPK ({@code Z8}: ISO format 0, 8 bytes).
     */
    record Sm4(Hsm hsm) implements TerminalCipher {
        @Override
        public Future<Boolean> verifyMac(LmkKey mak, byte[] mab, byte[] field64) {
            return hsm.verifyUnionPaySm4Mac(mak, mab, field64);
        }

        @Override
        public Future<byte[]> mac(LmkKey mak, byte[] mab) {
            return hsm.generateUnionPaySm4Mac(mak, mab);
        }

        @Override
        public Future<byte[]> pinToZone(LmkKey pik, LmkKey zpk, byte[] pinBlock, String pan) {
            return hsm.translateSm4Pin(KeyType.PIK, pik, zpk, pinBlock, pan).map(t -> t.pinBlock());
        }
    }
}
