/**
 * Pure payment-cryptography primitives: TDES, MACs (X9.9, X9.19, ISO 9797-1, UnionPay ECB),
 * key check values, ISO 9564 PIN blocks, PBOC key diversification, RSA (OAEP / PKCS#1 type 1)
 * and the transmission-key block of the K-flow; and the national algorithms next to them: SM4
 * ({@link dev.posgate.crypto.Sm4}, SM4 MACs in {@link dev.posgate.crypto.Macs}, SM4 KCV, the
 * 16-byte SM4 PIN block), SM3 ({@link dev.posgate.crypto.Digests#sm3}) and SM2
 * ({@link dev.posgate.crypto.Sm2}); see {@code docs/national-crypto.md}.
 *
 * <p>Everything here is free of I/O and global state: static methods or small immutable classes,
 * safe to call from any thread. Arguments are never modified; results are fresh arrays.
 * Invalid arguments (wrong lengths, non-digits, ...) raise {@link java.lang.IllegalArgumentException};
 * failed cryptographic checks on decoded data raise {@link dev.posgate.crypto.CryptoException}
 * or one of its subclasses. See {@code docs/crypto.md}.
 */
package dev.posgate.crypto;
