package dev.posgate.load.gatling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.AukProof;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KmsDeviceTest {
    @Test
    void theKmsOpensTheTkBlockAndTheTmkIsInstalledOnlyWithItsKcv() {
        KeyPair kms = Rsa.generate(2048, new SecureRandom());
        KmsDevice device = new KmsDevice(kms.getPublic(), RandomSource.secure());
        // What the HSM does at K2 (ZI): open Ctk_Pu with the KMS private key.
        TransmissionKeyBlock tk = TransmissionKeyBlock.decode(Rsa.oaepDecrypt(kms.getPrivate(), device.tkBlock()));
        byte[] rnd = {1, 2, 3, 4, 5, 6, 7, 8};
        assertArrayEquals(AukProof.of(AukProof.Direction.TERMINAL, tk.auk(), rnd), device.terminalProof(rnd));
        assertTrue(device.kmsProofMatches(rnd, AukProof.of(AukProof.Direction.KMS, tk.auk(), rnd)));
        assertFalse(device.kmsProofMatches(rnd, device.terminalProof(rnd)), "its own proof reflected is no KMS proof");

        byte[] tmk = Parity.adjustOdd(RandomSource.secure().next(16));
        byte[] underTek = Tdes.encryptEcb(tk.tek(), tmk);
        byte[] wrongKcv = Kcv.of(tmk, 4).clone();
        wrongKcv[0] ^= 1;
        assertFalse(device.installTmk(1, underTek, wrongKcv));
        assertNull(device.tmk());
        assertTrue(device.installTmk(1, underTek, Kcv.of(tmk, 4)));
        assertArrayEquals(tmk, device.tmk());
    }
}
