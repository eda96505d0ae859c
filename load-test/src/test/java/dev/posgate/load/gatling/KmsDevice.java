package dev.posgate.load.gatling;

import dev.posgate.crypto.AukProof;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Sm2;
import dev.posgate.crypto.Sm4;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import dev.posgate.protocol.kms.TransmissionKeyDevice;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * A virtual terminal's PIN pad for the K-flow (docs/kms.md), without pos-terminal's Vert.x: the
 * transmission key (TEK, AUK, odd parity) generated at the "factory", its block RSA-OAEP sealed
 * for the KMS public key (done before the run, off Gatling's event loop), the AUK proofs for K2/K3 (crypto AukProof), and
 * the TMK of K3 unwrapped under TEK and installed only if its KCV matches.
 *
 * <p>An SM4 terminal's device ({@link #sm4}, docs/kms.md "K-flow with SM2") has an SM4 TEK and
 * AUK (16 random bytes, no parity), the TK block SM2(Pk, TEK) ‖ SM2(Pk, AUK) (C1C3C2) for the
 * KMS's SM2 point, SM4 AUK proofs and an SM4 TMK with its SM4 KCV, as pos-terminal's
 * TransmissionKeyVault, with crypto's primitives.
 */
final class KmsDevice implements TransmissionKeyDevice {
    private final boolean sm;
    private final byte[] tek;
    private final byte[] auk;
    private final byte[] tkBlock;
    private byte[] tmk;

    /** Factory TK generation for the KMS key of the (already verified) KMS certificate. */
    KmsDevice(PublicKey kmsKey, RandomSource random) {
        this.sm = false;
        this.tek = Parity.adjustOdd(random.next(16));
        this.auk = Parity.adjustOdd(random.next(16));
        this.tkBlock = Rsa.oaepEncrypt(kmsKey, TransmissionKeyBlock.encode(tek, auk));
    }

    private KmsDevice(byte[] kmsPoint, RandomSource random) {
        this.sm = true;
        this.tek = random.next(16);
        this.auk = random.next(16);
        byte[] t = Sm2.encrypt(kmsPoint, tek);
        byte[] a = Sm2.encrypt(kmsPoint, auk);
        byte[] block = Arrays.copyOf(t, t.length + a.length);
        System.arraycopy(a, 0, block, t.length, a.length);
        this.tkBlock = block;
    }

    /** An SM4 terminal's device: SM4 TK sealed with SM2 for the KMS's SM2 public point {@code 04 ‖ x ‖ y}. */
    static KmsDevice sm4(byte[] kmsPoint, RandomSource random) {
        return new KmsDevice(kmsPoint, random);
    }

    /** Whether this is an SM4 terminal's device (SM2 K-flow). */
    boolean sm() {
        return sm;
    }

    /** Ctk_Pu, what the operator terminal's batch carries for this terminal. */
    byte[] tkBlock() {
        return tkBlock.clone();
    }

    @Override
    public boolean kmsProofMatches(byte[] rnd1, byte[] proof) {
        return sm ? AukProof.sm4Matches(AukProof.Direction.KMS, auk, rnd1, proof)
                : AukProof.matches(AukProof.Direction.KMS, auk, rnd1, proof);
    }

    @Override
    public byte[] terminalProof(byte[] rnd2) {
        return sm ? AukProof.sm4(AukProof.Direction.TERMINAL, auk, rnd2) : AukProof.of(AukProof.Direction.TERMINAL, auk, rnd2);
    }

    @Override
    public boolean installTmk(int keyIndex, byte[] tmkUnderTek, byte[] kcv) {
        byte[] clear = sm ? Sm4.decryptEcb(tek, tmkUnderTek) : Tdes.decryptEcb(tek, tmkUnderTek);
        byte[] expected = sm ? Kcv.ofSm4(clear, kcv.length) : Kcv.of(clear, kcv.length);
        if (!MessageDigest.isEqual(expected, kcv)) return false;
        tmk = clear;
        return true;
    }

    /** The TMK installed by K3, or null. */
    byte[] tmk() {
        return tmk == null ? null : tmk.clone();
    }
}
