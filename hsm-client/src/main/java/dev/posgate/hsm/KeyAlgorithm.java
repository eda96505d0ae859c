package dev.posgate.hsm;

/**
 * The algorithm of a symmetric key, fixed by its scheme tag ({@link KeyScheme#algorithm()}): TDES
 * keys (schemes Z/U/T/X/Y) and SM4 keys (scheme P) are never interchangeable. Every command
 * accepts keys of one algorithm only and refuses the other with error 26 (docs/hsm-protocol.md,
 * "SM commands (national algorithms)").
 */
public enum KeyAlgorithm {
    /** DES / TDES (ANSI X9.52). */
    TDES,
    /** SM4 (GB/T 32907-2016), 16-byte key and block. */
    SM4
}
