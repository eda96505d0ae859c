package dev.posgate.terminal.pinpad;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Sm4;
import dev.posgate.crypto.Tdes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The simulated tamper-resistant PIN pad: keys can be written and used, never read. Slots are
 * addressed by key index and role. Clear keys exist only here, on the terminal side of the
 * simulation; the gateway never sees them.
 *
 * <p>A slot holds a TDES key or, for a terminal with the SM4 profile (protocol.md section 5), an
 * SM4 key ({@link #writeSm4}). A key written encrypted under a KEK takes the KEK's algorithm (SM4
 * working keys under the SM4 TMK, SM4 KCV); the PIN block, MAC and ECB of a slot follow its key's
 * algorithm: the SM4 format-0 PIN block, the UnionPay SM4 POS MAC, SM4-ECB.
 */
public final class PinPad {
    private record Slot(int index, KeyRole role) {}

    private final Map<Slot, byte[]> keys = new HashMap<>();
    private final Set<Slot> sm4 = new HashSet<>();

    /** Writes a clear key (factory injection, or a key the pad itself recovered). */
    public synchronized void write(int index, KeyRole role, byte[] clearKey) {
        if (!Tdes.isValidKeyLength(clearKey.length)) throw new IllegalArgumentException("not a DES/TDES key length");
        put(new Slot(index, role), clearKey, false);
    }

    /** Writes a clear 16-byte SM4 key (factory injection of an SM4 TMK). */
    public synchronized void writeSm4(int index, KeyRole role, byte[] clearKey) {
        if (clearKey.length != 16) throw new IllegalArgumentException("an SM4 key is 16 bytes");
        put(new Slot(index, role), clearKey, true);
    }

    /** Whether the slot holds an SM4 key. */
    public synchronized boolean isSm4(int index, KeyRole role) {
        return sm4.contains(new Slot(index, role));
    }

    private void put(Slot slot, byte[] clearKey, boolean isSm4) {
        byte[] old = keys.put(slot, clearKey.clone());
        if (old != null) Arrays.fill(old, (byte) 0);
        if (isSm4) sm4.add(slot);
        else sm4.remove(slot);
    }

    /**
     * Decrypts {@code encrypted} (TDES-ECB) under the key in ({@code index}, {@code kekRole}) and
     * stores it as ({@code index}, {@code role}) only if its check value equals
     * {@code expectedKcv}; returns false and stores nothing otherwise.
     */
    public synchronized boolean writeEncrypted(int index, KeyRole role, KeyRole kekRole, byte[] encrypted, byte[] expectedKcv) {
        byte[] kek = require(index, kekRole);
        boolean underSm4 = isSm4(index, kekRole);
        if (underSm4 && encrypted.length != 16) return false;
        byte[] clear = underSm4 ? Sm4.decryptEcb(kek, encrypted) : Tdes.decryptEcb(kek, encrypted);
        byte[] kcv = underSm4 ? Kcv.ofSm4(clear, expectedKcv.length) : Kcv.of(clear, expectedKcv.length);
        if (!Macs.verify(expectedKcv, kcv)) {
            Arrays.fill(clear, (byte) 0);
            return false;
        }
        put(new Slot(index, role), clear, underSm4);
        Arrays.fill(clear, (byte) 0);
        return true;
    }

    public synchronized boolean has(int index, KeyRole role) {
        return keys.containsKey(new Slot(index, role));
    }

    public synchronized byte[] kcv(int index, KeyRole role, int length) {
        return isSm4(index, role) ? Kcv.ofSm4(require(index, role), length) : Kcv.of(require(index, role), length);
    }

    public synchronized void erase(int index, KeyRole role) {
        byte[] old = keys.remove(new Slot(index, role));
        if (old != null) Arrays.fill(old, (byte) 0);
        sm4.remove(new Slot(index, role));
    }

    /** TDES-ECB (SM4-ECB for an SM4 key) under a slot's key (e.g. E_AUK(Rnd) in the K-flow). */
    public synchronized byte[] encrypt(int index, KeyRole role, byte[] data) {
        return isSm4(index, role) ? Sm4.encryptEcb(require(index, role), data) : Tdes.encryptEcb(require(index, role), data);
    }

    public synchronized byte[] decrypt(int index, KeyRole role, byte[] data) {
        return isSm4(index, role) ? Sm4.decryptEcb(require(index, role), data) : Tdes.decryptEcb(require(index, role), data);
    }

    /**
     * The PIN block of field 52 under the PIK of {@code index}: ISO 9564 format 0 under a TDES PIK,
     * the 16-byte SM4 format-0 block under an SM4 PIK (docs/national-crypto.md).
     */
    public synchronized byte[] encryptPin(int index, String pin, String pan) {
        boolean underSm4 = isSm4(index, KeyRole.PIK);
        byte[] clear = underSm4 ? PinBlocks.sm4Format0(pin, pan) : PinBlocks.format0(pin, pan);
        try {
            return underSm4 ? Sm4.encryptEcb(require(index, KeyRole.PIK), clear) : Tdes.encryptEcb(require(index, KeyRole.PIK), clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /**
     * Field 64 under the MAK of {@code index}: the UnionPay ECB MAC, or X9.19 when {@code x919};
     * the UnionPay SM4 POS MAC under an SM4 MAK.
     */
    public synchronized byte[] mac(int index, byte[] mab, boolean x919) {
        byte[] mak = require(index, KeyRole.MAK);
        if (isSm4(index, KeyRole.MAK)) return Macs.unionPaySm4(mak, mab);
        return x919 ? Macs.x919(mak, mab) : Macs.unionPayEcb(mak, mab);
    }

    private byte[] require(int index, KeyRole role) {
        byte[] k = keys.get(new Slot(index, role));
        if (k == null) throw new IllegalStateException("PIN pad has no " + role + " in slot " + index);
        return k;
    }
}
