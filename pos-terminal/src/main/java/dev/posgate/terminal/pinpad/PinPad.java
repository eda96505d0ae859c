package dev.posgate.terminal.pinpad;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Tdes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulated tamper-resistant PIN pad: keys can be written and used, never read. Slots are
 * addressed by key index and role. Clear keys exist only here, on the terminal side of the
 * simulation; the gateway never sees them.
 */
public final class PinPad {
    private record Slot(int index, KeyRole role) {}

    private final Map<Slot, byte[]> keys = new HashMap<>();

    /** Writes a clear key (factory injection, or a key the pad itself recovered). */
    public synchronized void write(int index, KeyRole role, byte[] clearKey) {
        if (!Tdes.isValidKeyLength(clearKey.length)) throw new IllegalArgumentException("not a DES/TDES key length");
        byte[] old = keys.put(new Slot(index, role), clearKey.clone());
        if (old != null) Arrays.fill(old, (byte) 0);
    }

    /**
     * Decrypts {@code encrypted} (TDES-ECB) under the key in ({@code index}, {@code kekRole}) and
     * stores it as ({@code index}, {@code role}) only if its check value equals
     * {@code expectedKcv}; returns false and stores nothing otherwise.
     */
    public synchronized boolean writeEncrypted(int index, KeyRole role, KeyRole kekRole, byte[] encrypted, byte[] expectedKcv) {
        byte[] kek = require(index, kekRole);
        byte[] clear = Tdes.decryptEcb(kek, encrypted);
        if (!Macs.verify(expectedKcv, Kcv.of(clear, expectedKcv.length))) {
            Arrays.fill(clear, (byte) 0);
            return false;
        }
        write(index, role, clear);
        Arrays.fill(clear, (byte) 0);
        return true;
    }

    public synchronized boolean has(int index, KeyRole role) {
        return keys.containsKey(new Slot(index, role));
    }

    public synchronized byte[] kcv(int index, KeyRole role, int length) {
        return Kcv.of(require(index, role), length);
    }

    public synchronized void erase(int index, KeyRole role) {
        byte[] old = keys.remove(new Slot(index, role));
        if (old != null) Arrays.fill(old, (byte) 0);
    }

    /** TDES-ECB under a slot's key (e.g. E_AUK(Rnd) in the K-flow). */
    public synchronized byte[] encrypt(int index, KeyRole role, byte[] data) {
        return Tdes.encryptEcb(require(index, role), data);
    }

    public synchronized byte[] decrypt(int index, KeyRole role, byte[] data) {
        return Tdes.decryptEcb(require(index, role), data);
    }

    /** ISO 9564 format 0 PIN block encrypted under the PIK of {@code index}. */
    public synchronized byte[] encryptPin(int index, String pin, String pan) {
        byte[] clear = PinBlocks.format0(pin, pan);
        try {
            return Tdes.encryptEcb(require(index, KeyRole.PIK), clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /** Field 64 under the MAK of {@code index}: the UnionPay ECB MAC, or X9.19 when {@code x919}. */
    public synchronized byte[] mac(int index, byte[] mab, boolean x919) {
        byte[] mak = require(index, KeyRole.MAK);
        return x919 ? Macs.x919(mak, mab) : Macs.unionPayEcb(mak, mab);
    }

    private byte[] require(int index, KeyRole role) {
        byte[] k = keys.get(new Slot(index, role));
        if (k == null) throw new IllegalStateException("PIN pad has no " + role + " in slot " + index);
        return k;
    }
}
