package dev.posgate.terminal.kms;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.crypto.IntegrityException;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import org.junit.jupiter.api.Test;

/** The TK hash is checked on every use: a corrupted TK is erased and never used. */
class TransmissionKeyVaultTest {

    @Test
    void corruptedTkIsErasedOnNextUse() {
        TransmissionKeyVault vault = new TransmissionKeyVault(new PinPad());
        vault.generate(RandomSource.secure());
        assertEquals(8, vault.terminalProof(new byte[8]).length);
        vault.corruptForTest();
        assertThrows(IntegrityException.class, () -> vault.terminalProof(new byte[8]));
        assertFalse(vault.present());
        assertThrows(IllegalStateException.class, () -> vault.installTmk(1, new byte[16], new byte[4]));
    }

    @Test
    void tmkWithAWrongKcvIsNotInstalled() {
        PinPad pad = new PinPad();
        TransmissionKeyVault vault = new TransmissionKeyVault(pad);
        vault.generate(RandomSource.secure());
        byte[] tmk = RandomSource.secure().next(16);
        // not under this TEK: the decrypted key's KCV cannot match the TMK's
        assertFalse(vault.installTmk(1, Tdes.encryptEcb(RandomSource.secure().next(16), tmk), Kcv.of(tmk, 4)));
        assertFalse(pad.has(1, KeyRole.TMK));
    }
}
