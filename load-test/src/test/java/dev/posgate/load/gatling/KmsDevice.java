package dev.posgate.load.gatling;

import dev.posgate.crypto.AukProof;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import dev.posgate.protocol.kms.TransmissionKeyDevice;
import java.security.MessageDigest;
import java.security.PublicKey;

/**
 * A virtual terminal's PIN pad for the K-flow (docs/kms.md), without pos-terminal's Vert.x: the
 * transmission key (TEK, AUK, odd parity) generated at the "factory", its block RSA-OAEP sealed
 * for the KMS public key (done before the run, off Gatling's event loop), the AUK proofs for K2/K3 (crypto AukProof), and
 * the TMK of K3 unwrapped under TEK and installed only if its KCV matches.
 */
final class KmsDevice implements TransmissionKeyDevice {
    private final byte[] tek;
    private final byte[] auk;
    private final byte[] tkBlock;
    private byte[] tmk;

    /** Factory TK generation for the KMS key of the (already verified) KMS certificate. */
    KmsDevice(PublicKey kmsKey, RandomSource random) {
        this.tek = Parity.adjustOdd(random.next(16));
        this.auk = Parity.adjustOdd(random.next(16));
        this.tkBlock = Rsa.oaepEncrypt(kmsKey, TransmissionKeyBlock.encode(tek, auk));
    }

    /** Ctk_Pu, what the operator terminal's batch carries for this terminal. */
    byte[] tkBlock() {
        return tkBlock.clone();
    }

    @Override
    public boolean kmsProofMatches(byte[] rnd1, byte[] proof) {
        return AukProof.matches(AukProof.Direction.KMS, auk, rnd1, proof);
    }

    @Override
    public byte[] terminalProof(byte[] rnd2) {
        return AukProof.of(AukProof.Direction.TERMINAL, auk, rnd2);
    }

    @Override
    public boolean installTmk(int keyIndex, byte[] tmkUnderTek, byte[] kcv) {
        byte[] clear = Tdes.decryptEcb(tek, tmkUnderTek);
        if (!MessageDigest.isEqual(Kcv.of(clear, kcv.length), kcv)) return false;
        tmk = clear;
        return true;
    }

    /** The TMK installed by K3, or null. */
    byte[] tmk() {
        return tmk == null ? null : tmk.clone();
    }
}
