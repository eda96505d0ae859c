package dev.posgate.terminal.pos;

import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;

/** Working keys in a PIN pad slot, under the TMK of the same key index. */
public final class PinPadKeys implements WorkingKeyHolder {
    private final PinPad pinPad;
    private final int index;

    public PinPadKeys(PinPad pinPad, int index) {
        this.pinPad = pinPad;
        this.index = index;
    }

    /**
     * The pad checks each KCV as it stores the key. A refused key stops the installation; keys
     * stored before it are then unusable with the gateway anyway, because the sign-on failed and
     * the terminal must sign on again before its next transaction.
     */
    @Override
    public boolean acceptWorkingKeys(WorkingKeyBlock block) {
        if (!install(KeyRole.PIK, block.pik()) || !install(KeyRole.MAK, block.mak())) return false;
        return block.tdk() == null || install(KeyRole.TDK, block.tdk());
    }

    private boolean install(KeyRole role, WorkingKeyBlock.Entry e) {
        return pinPad.writeEncrypted(index, role, KeyRole.TMK, e.encryptedKey(), e.kcv());
    }

    /** SM4 when the pad's TMK of this index is an SM4 key (an SM4 terminal), TDES otherwise. */
    @Override
    public KeyAlgorithm algorithm() {
        return pinPad.isSm4(index, KeyRole.TMK) ? KeyAlgorithm.SM4 : KeyAlgorithm.TDES;
    }

    @Override
    public byte[] encryptPin(String pin, String pan) {
        return pinPad.encryptPin(index, pin, pan);
    }

    @Override
    public byte[] mac(byte[] mab, boolean x919) {
        return pinPad.mac(index, mab, x919);
    }
}
