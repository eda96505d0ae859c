package dev.posgate.terminal.psam;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Tdes;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.terminal.pos.WorkingKeyHolder;
import java.util.Arrays;

/**
 * A PSAM card (CN101593389A): its card number, the card master key written at issuance, and the
 * working keys it accepts at sign-on. Like the PIN pad it never gives a key out: it encrypts PIN
 * blocks and computes MACs itself.
 */
public final class PsamCard implements WorkingKeyHolder {
    private final String cardNumber;
    private final byte[] masterKey;
    private byte[] pik;
    private byte[] mak;
    private byte[] tdk;

    private PsamCard(String cardNumber, byte[] masterKey) {
        this.cardNumber = cardNumber;
        this.masterKey = masterKey;
    }

    /**
     * Personalisation at the issuing station: the card master key arrives encrypted under the
     * station's transport key; the card is written only if it decrypts to the KCV sent.
     *
     * @throws IllegalArgumentException when the KCV does not match
     */
    public static PsamCard issue(String cardNumber, byte[] transportKey, byte[] masterKeyUnderTransport, byte[] kcv) {
        byte[] clear = Tdes.decryptEcb(transportKey, masterKeyUnderTransport);
        if (!Macs.verify(Arrays.copyOf(kcv, 4), Kcv.of(clear, 4))) {
            Arrays.fill(clear, (byte) 0);
            throw new IllegalArgumentException("card master key does not match its check value");
        }
        return new PsamCard(cardNumber, clear);
    }

    public String cardNumber() {
        return cardNumber;
    }

    @Override
    public synchronized boolean acceptWorkingKeys(WorkingKeyBlock block) {
        byte[] newPik = unwrap(block.pik());
        byte[] newMak = unwrap(block.mak());
        byte[] newTdk = block.tdk() == null ? null : unwrap(block.tdk());
        if (newPik == null || newMak == null || (block.tdk() != null && newTdk == null)) {
            wipe(newPik, newMak, newTdk);
            return false;
        }
        wipe(pik, mak, tdk);
        pik = newPik;
        mak = newMak;
        tdk = newTdk;
        return true;
    }

    private byte[] unwrap(WorkingKeyBlock.Entry e) {
        byte[] clear = Tdes.decryptEcb(masterKey, e.encryptedKey());
        if (Macs.verify(e.kcv(), Kcv.of(clear, e.kcv().length))) return clear;
        Arrays.fill(clear, (byte) 0);
        return null;
    }

    public synchronized boolean hasWorkingKeys() {
        return pik != null && mak != null;
    }

    @Override
    public synchronized byte[] encryptPin(String pin, String pan) {
        byte[] clear = PinBlocks.format0(pin, pan);
        try {
            return Tdes.encryptEcb(require(pik), clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    @Override
    public synchronized byte[] mac(byte[] mab, boolean x919) {
        return x919 ? Macs.x919(require(mak), mab) : Macs.unionPayEcb(require(mak), mab);
    }

    private static byte[] require(byte[] key) {
        if (key == null) throw new IllegalStateException("PSAM has no working keys: sign on first");
        return key;
    }

    private static void wipe(byte[]... keys) {
        for (byte[] k : keys) if (k != null) Arrays.fill(k, (byte) 0);
    }
}
