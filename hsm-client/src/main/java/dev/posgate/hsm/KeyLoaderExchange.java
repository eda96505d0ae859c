package dev.posgate.hsm;

import java.util.Objects;

/**
 * Result of the L-flow key-loader exchange: RSA_Prk(Ctmk ‖ Rnd2) (PKCS#1 type-1 private-key
 * encryption, modulus length; tag DF28) and the TMK check value (4 bytes; DF26 of L3).
 */
public record KeyLoaderExchange(byte[] signedBlock, Kcv tmkKcv) {
    public KeyLoaderExchange {
        Objects.requireNonNull(signedBlock, "signedBlock");
        Objects.requireNonNull(tmkKcv, "tmkKcv");
        signedBlock = signedBlock.clone();
    }

    @Override
    public byte[] signedBlock() {
        return signedBlock.clone();
    }

    @Override
    public String toString() {
        return "KeyLoaderExchange[block " + signedBlock.length + " bytes, tmk " + tmkKcv + "]";
    }
}
