package dev.posgate.terminal.kms;

import dev.posgate.crypto.AukProof;
import dev.posgate.crypto.Digests;
import dev.posgate.crypto.IntegrityException;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.protocol.kms.TransmissionKeyDevice;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * The transmission key (TEK + AUK) inside the PIN pad's boundary, next to {@link PinPad}: it is
 * never read out, only used. Per CN103729940A a SHA-256 of TEK ‖ AUK is kept and checked on
 * every store, send and use; a mismatch erases the TK and fails. A TMK received under TEK goes
 * straight into the PIN pad's TMK slot.
 */
public final class TransmissionKeyVault implements TransmissionKeyDevice {
    private final PinPad pinPad;
    private byte[] tek;
    private byte[] auk;
    private byte[] hash;
    /** SM family (the KMS certificate has an SM2 key): SM4 TEK/AUK, SM2 TK block, SM4 proofs and TMK. */
    private boolean sm;

    public TransmissionKeyVault(PinPad pinPad) {
        this.pinPad = pinPad;
    }

    /** Generates a fresh TK (erasing any old one) and stores it with its hash. */
    synchronized void generate(RandomSource random) {
        generate(random, false);
    }

    /** {@code sm}: SM4 TEK and AUK (16 random bytes, no parity), for a KMS certificate with an SM2 key. */
    synchronized void generate(RandomSource random, boolean sm) {
        erase();
        byte[] t = sm ? random.next(16) : Parity.adjustOdd(random.next(16));
        byte[] a = sm ? random.next(16) : Parity.adjustOdd(random.next(16));
        this.sm = sm;
        byte[] h = Digests.sha256(t, a);
        tek = t;
        auk = a;
        hash = h;
        check(); // the store itself is checked
    }

    public synchronized boolean present() {
        return tek != null;
    }

    /** Ctk_Pu: the TK block RSA-OAEP encrypted under the (verified) KMS public key. */
    synchronized byte[] sealFor(PublicKey kmsKey) {
        check();
        byte[] block = TransmissionKeyBlock.encode(tek, auk);
        try {
            return Rsa.oaepEncrypt(kmsKey, block);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    /**
     * The SM2 TK block (docs/kms.md, "K-flow with SM2"): SM2(Pk, TEK) ‖ SM2(Pk, AUK), each
     * C1 ‖ C3 ‖ C2 (113 bytes), under the KMS's SM2 public point {@code 04 ‖ x ‖ y}.
     */
    synchronized byte[] sealForSm2(byte[] kmsPoint) {
        check();
        if (!sm) throw new IllegalStateException("not an SM transmission key");
        byte[] t = dev.posgate.crypto.Sm2.encrypt(kmsPoint, tek);
        byte[] a = dev.posgate.crypto.Sm2.encrypt(kmsPoint, auk);
        byte[] out = Arrays.copyOf(t, t.length + a.length);
        System.arraycopy(a, 0, out, t.length, a.length);
        return out;
    }

    public synchronized boolean sm() {
        return sm;
    }

    @Override
    public synchronized boolean kmsProofMatches(byte[] rnd1, byte[] proof) {
        check();
        return sm ? AukProof.sm4Matches(AukProof.Direction.KMS, auk, rnd1, proof)
                : AukProof.matches(AukProof.Direction.KMS, auk, rnd1, proof);
    }

    @Override
    public synchronized byte[] terminalProof(byte[] rnd2) {
        check();
        return sm ? AukProof.sm4(AukProof.Direction.TERMINAL, auk, rnd2) : AukProof.of(AukProof.Direction.TERMINAL, auk, rnd2);
    }

    @Override
    public synchronized boolean installTmk(int keyIndex, byte[] tmkUnderTek, byte[] kcv) {
        check();
        byte[] clear = sm ? dev.posgate.crypto.Sm4.decryptEcb(tek, tmkUnderTek) : Tdes.decryptEcb(tek, tmkUnderTek);
        try {
            byte[] expected = sm ? Kcv.ofSm4(clear, kcv.length) : Kcv.of(clear, kcv.length);
            if (!MessageDigest.isEqual(expected, kcv)) return false;
            if (sm) pinPad.writeSm4(keyIndex, KeyRole.TMK, clear); // an SM4 TMK: the pad uses it with SM4
            else pinPad.write(keyIndex, KeyRole.TMK, clear);
            return true;
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /** Erases the TK (before a new one, on cover opening). */
    public synchronized void erase() {
        if (tek != null) Arrays.fill(tek, (byte) 0);
        if (auk != null) Arrays.fill(auk, (byte) 0);
        tek = null;
        auk = null;
        hash = null;
        sm = false;
    }

    /** The simulator's image of the PIN pad's secure memory (see {@link SimulatedDeviceImage}). */
    synchronized byte[] image() {
        check();
        byte[] out = new byte[32];
        System.arraycopy(tek, 0, out, 0, 16);
        System.arraycopy(auk, 0, out, 16, 16);
        return out;
    }

    /** Restores a TK from the simulator's image, checking it like any store. */
    synchronized void restore(byte[] image, byte[] expectedHash) {
        restore(image, expectedHash, false);
    }

    synchronized void restore(byte[] image, byte[] expectedHash, boolean sm) {
        erase();
        this.sm = sm;
        tek = Arrays.copyOfRange(image, 0, 16);
        auk = Arrays.copyOfRange(image, 16, 32);
        hash = expectedHash.clone();
        check();
    }

    synchronized byte[] hash() {
        check();
        return hash.clone();
    }

    /** Simulates a memory fault in the secure store (tests of the hash check). */
    synchronized void corruptForTest() {
        if (tek != null) tek[0] ^= 0x02;
    }

    private void check() {
        if (tek == null) throw new IllegalStateException("no transmission key in the PIN pad");
        byte[] h = Digests.sha256(tek, auk);
        boolean ok = MessageDigest.isEqual(h, hash);
        Arrays.fill(h, (byte) 0);
        if (!ok) {
            erase();
            throw new IntegrityException("transmission key hash mismatch: TK erased");
        }
    }
}
