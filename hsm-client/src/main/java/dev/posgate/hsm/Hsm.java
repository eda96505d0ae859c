package dev.posgate.hsm;

import io.vertx.core.Future;

/**
 * The HSM in domain terms. Every secret operation of the gateway goes through here; the gateway
 * only ever holds keys under the LMK ({@link LmkKey}, {@link LmkPrivateKey}) or under other keys
 * ({@link WrappedKey}).
 *
 * <p>All methods are asynchronous. A future fails with {@link HsmException} when the HSM answers
 * with an error code (the exception carries the command and the payShield code), with
 * {@link HsmProtocolException} for an unintelligible reply, and with the transport's
 * {@code HsmUnavailableException}/{@code HsmTimeoutException} when no answer came. Verifications
 * return {@code false} for a mismatch (HSM error 01) instead of failing. Command layouts:
 * docs/hsm-protocol.md.
 */
public interface Hsm {

    // ---- key management ----

    /** A0 mode 0: a random key of {@code type}, double length (scheme U), with an 8-byte KCV. */
    default Future<KeyWithKcv> generateKey(KeyType type) {
        return generateKey(type, KeyScheme.U);
    }

    /** A0 mode 0 with an explicit LMK scheme (Z single, U double, T triple). */
    Future<KeyWithKcv> generateKey(KeyType type, KeyScheme scheme);

    /**
     * A0 mode 1: a random key under the LMK and under {@code wrappingKey} (ECB, scheme Z/X/Y by
     * length), with an 8-byte KCV ({@link Kcv#first}(4) for field 62). E.g. PIK/MAK under a TMK
     * at sign-on ({@link Wrapping#TMK}), DWK under the DMK ({@link Wrapping#DMK}).
     */
    Future<GeneratedKey> generateKeyUnder(KeyType type, KeyScheme scheme, Wrapping wrapping, LmkKey wrappingKey);

    /** {@link #generateKeyUnder} with a double-length key. */
    default Future<GeneratedKey> generateKeyUnder(KeyType type, Wrapping wrapping, LmkKey wrappingKey) {
        return generateKeyUnder(type, KeyScheme.U, wrapping, wrappingKey);
    }

    /** A6: a key received under a ZMK, re-encrypted under the LMK; 8-byte KCV. */
    Future<KeyWithKcv> importKey(KeyType type, LmkKey zmk, WrappedKey keyUnderZmk);

    /** A8: a key under the LMK exported under a ZMK/TMK/DMK/DWK (ECB), with its 8-byte KCV. */
    Future<ExportedKey> exportKey(KeyType type, Wrapping wrapping, LmkKey kek, LmkKey key);

    /** BU: the 8-byte check value of a key. */
    Future<Kcv> kcv(KeyType type, LmkKey key);

    /**
     * Key ceremony (extension ZW): a key formed by XOR of 2 or 3 clear components (odd parity
     * each); with scheme {@link KeyScheme#P} an SM4 key (no parity, SM4 check value). Fails with
     * error 68 unless the HSM allows clear components.
     */
    Future<KeyWithKcv> formKeyFromComponents(KeyType type, KeyScheme scheme, byte[]... components);

    // ---- PIN ----

    /**
     * CA: PIN block under a terminal PIN key (TPK/PIK) re-encrypted under a ZPK. {@code pan} is the
     * full card number (the HSM gets its rightmost 12 digits without the check digit); it may be
     * null only when both formats are ISO 1.
     */
    Future<PinTranslation> translatePinTpkToZpk(LmkKey tpk, LmkKey zpk, byte[] pinBlock,
            PinBlockFormat from, PinBlockFormat to, String pan);

    /** CC: PIN block under one ZPK re-encrypted under another. */
    Future<PinTranslation> translatePinZpkToZpk(LmkKey sourceZpk, LmkKey destinationZpk, byte[] pinBlock,
            PinBlockFormat from, PinBlockFormat to, String pan);

    /** {@link #translatePinTpkToZpk} ISO 0 to ISO 0 (the POS case). */
    default Future<PinTranslation> translatePin(LmkKey pik, LmkKey zpk, byte[] pinBlock, String pan) {
        return translatePinTpkToZpk(pik, zpk, pinBlock, PinBlockFormat.ISO_0, PinBlockFormat.ISO_0, pan);
    }

    // ---- MAC ----

    /** M6: MAC of {@code data} under a TAK/MAK, ZAK or DWK. */
    Future<byte[]> generateMac(KeyType type, LmkKey key, MacParams params, byte[] data);

    /** M8: true if {@code mac} is the MAC of {@code data}; false on mismatch (error 01). */
    Future<Boolean> verifyMac(KeyType type, LmkKey key, MacParams params, byte[] data, byte[] mac);

    /** ZA: UnionPay ECB MAC of a MAB under a MAK (TAK); returns the 8 bytes of field 64. */
    default Future<byte[]> generateUnionPayMac(LmkKey mak, byte[] mab) {
        return generateUnionPayMac(KeyType.MAK, mak, mab);
    }

    /** ZA with an explicit key type (TAK or ZAK). */
    Future<byte[]> generateUnionPayMac(KeyType type, LmkKey key, byte[] mab);

    /** ZC: true if {@code field64} is the UnionPay ECB MAC of the MAB under the MAK. */
    default Future<Boolean> verifyUnionPayMac(LmkKey mak, byte[] mab, byte[] field64) {
        return verifyUnionPayMac(KeyType.MAK, mak, mab, field64);
    }

    /** ZC with an explicit key type (TAK or ZAK). */
    Future<Boolean> verifyUnionPayMac(KeyType type, LmkKey key, byte[] mab, byte[] field64);

    // ---- data ----

    /** M0: TDES-ECB/CBC encryption (no padding: a non-empty multiple of 8 bytes) under a ZEK/DEK/DWK. */
    Future<byte[]> encryptData(KeyType type, LmkKey key, CipherMode mode, byte[] iv, byte[] data);

    /** M2: the inverse of {@link #encryptData}. */
    Future<byte[]> decryptData(KeyType type, LmkKey key, CipherMode mode, byte[] iv, byte[] data);

    // ---- RSA ----

    /** EI: an RSA key pair (e = 65537) whose private key stays under the LMK. */
    Future<RsaKeyPair> generateRsaKeyPair(RsaKeyUsage usage, int bits);

    /** EI for a key usable for key management and private-key encryption (KMS, key loader). */
    default Future<RsaKeyPair> generateRsaKeyPair(int bits) {
        return generateRsaKeyPair(RsaKeyUsage.BOTH, bits);
    }

    /** GI: a clear key RSA-OAEP (SHA-256) encrypted under our public key, imported under the LMK. */
    Future<KeyWithKcv> importKeyUnderRsa(KeyType type, KeyScheme scheme, LmkPrivateKey privateKey,
            byte[] encryptedKey);

    // ---- K-flow (transmission key) ----

    /**
     * ZI: decrypt a terminal's TK block (OAEP under the KMS public key), check its hash, return
     * TEK and AUK under the LMK. Fails with {@link HsmException} code 01 on a bad block or hash.
     */
    Future<TransmissionKeys> unwrapTransmissionKey(LmkPrivateKey kmsPrivateKey, byte[] tkBlock);

    /**
     * ZY: open an SM2 TK block ({@code SM2(Pk, TEK) ‖ SM2(Pk, AUK)}, C1C3C2, 226 bytes) with the
     * SM2 KMS key; TEK and AUK come back as SM4 keys under the LMK (SM4 terminals).
     */
    Future<TransmissionKeys> unwrapSm2TransmissionKey(LmkSm2PrivateKey kmsPrivateKey, byte[] tkBlock);

    /** ZK: the KMS's proof over the terminal's 8-byte Rnd1, DF23 = TDES-ECB(AUK ⊕ (4B × 16), Rnd1). */
    Future<byte[]> kmsAukProof(LmkKey auk, byte[] random);

    /** ZM: true if {@code cryptogram} is the terminal's proof over Rnd2, TDES-ECB(AUK ⊕ (54 × 16), Rnd2). */
    Future<Boolean> verifyTerminalAukProof(LmkKey auk, byte[] random, byte[] cryptogram);

    /** ZO: Ctmk_tk = TDES-ECB(TEK, TMK) with the TMK's 4-byte KCV. */
    Future<ExportedKey> tmkUnderTek(LmkKey tek, LmkKey tmk);

    // ---- L-flow (key loader) ----

    /**
     * ZQ: from RSA_Pu(Rnd1 ‖ Rnd2) (OAEP under the loader public key), compute
     * RSA_Prk(TDES-ECB(Rnd1, TMK) ‖ Rnd2) inside the HSM; with the TMK's 4-byte KCV.
     */
    Future<KeyLoaderExchange> keyLoaderExchange(LmkPrivateKey loaderPrivateKey, LmkKey tmk, byte[] rsaBlock);

    /**
     * WQ: the L-flow exchange with SM2 (SM4 terminal): {@code signedBlock} is Ctmk ‖ Rnd2 ‖ r ‖ s
     * (88 bytes), Ctmk = SM4-ECB(Rnd1, TMK), the signature SM3withSM2 by the loader key.
     */
    Future<KeyLoaderExchange> sm2KeyLoaderExchange(LmkSm2PrivateKey loaderPrivateKey, LmkKey tmk, byte[] sm2Block);

    // ---- PSAM ----

    /** ZE: the card master key for {@code cardNumber} under the issuing transport key (a ZMK), 4-byte KCV. */
    Future<ExportedKey> psamIssueCardKey(LmkKey psamRootKey, String cardNumber, LmkKey issuingTransportKey);

    /** ZG: a working key (PIK/MAK/TDK) under the LMK and under the PSAM card key, 4-byte KCV. */
    Future<GeneratedKey> generateWorkingKeyUnderPsam(LmkKey psamRootKey, String cardNumber, KeyType type,
            KeyScheme scheme);

    // ---- TMS ----

    /** ZS: TAC/SAC (4 bytes) of {@code data} under the DWK. */
    Future<byte[]> tac(LmkKey dwk, byte[] data);

    /** ZU: true if {@code tac} is the TAC/SAC of {@code data} under the DWK. */
    Future<Boolean> verifyTac(LmkKey dwk, byte[] data, byte[] tac);

    /** Z0: a download body sealed under the DWK (IV chosen by the HSM) from padded plaintext. */
    Future<byte[]> sealBody(LmkKey dwk, byte[] paddedPlaintext);

    /**
     * Z2: the padded plaintext of a sealed download body; fails with {@link HsmException} code
     * {@code 01} when its MAC does not verify (nothing is decrypted then).
     */
    Future<byte[]> openBody(LmkKey dwk, byte[] body);

    // ---- national algorithms (SM2/SM3/SM4; docs/hsm-protocol.md, "SM commands") ----

    /** WI mode 0: a random SM4 key of {@code type} under the LMK (scheme P), with an 8-byte SM4 KCV. */
    Future<KeyWithKcv> generateSm4Key(KeyType type);

    /**
     * WI mode 1: a random SM4 key under the LMK and under a ZMK or TMK ({@link Wrapping#ZMK} /
     * {@link Wrapping#TMK}) that is SM4 (SM4-ECB) or TDES (TDES-ECB of the two halves), with an
     * 8-byte SM4 KCV ({@link Kcv#first}(4) for field 62). E.g. SM4 PIK/MAK/TDK under an SM4 TMK.
     */
    Future<GeneratedKey> generateSm4KeyUnder(KeyType type, Wrapping wrapping, LmkKey kek);

    /** SV: an SM4 key received under a ZMK (SM4 or TDES), re-encrypted under the LMK; 8-byte KCV. */
    Future<KeyWithKcv> importSm4Key(KeyType type, LmkKey zmk, WrappedKey keyUnderZmk);

    /** ST: an SM4 key under the LMK exported under a ZMK or TMK (SM4 or TDES), with its 8-byte KCV. */
    Future<ExportedKey> exportSm4Key(KeyType type, Wrapping wrapping, LmkKey kek, LmkKey key);

    /** Z4: an SM4 MAC of {@code data} under an SM4 TAK/MAK or ZAK (8 ASCII bytes or 16 bytes). */
    Future<byte[]> generateSm4Mac(KeyType type, LmkKey key, Sm4MacAlgorithm algorithm, byte[] data);

    /**
     * Z6: true if {@code mac} is the SM4 MAC of {@code data} (a CBC-MAC may be cut to its leftmost
     * 4..16 bytes, e.g. a TAC); false on mismatch (error 01).
     */
    Future<Boolean> verifySm4Mac(KeyType type, LmkKey key, Sm4MacAlgorithm algorithm, byte[] data, byte[] mac);

    /** Z4: the UnionPay SM4 POS MAC of a MAB under an SM4 MAK; the 8 bytes of field 64. */
    default Future<byte[]> generateUnionPaySm4Mac(LmkKey mak, byte[] mab) {
        return generateSm4Mac(KeyType.MAK, mak, Sm4MacAlgorithm.UNIONPAY_POS, mab);
    }

    /** Z6: true if {@code field64} is the UnionPay SM4 POS MAC of the MAB under the SM4 MAK. */
    default Future<Boolean> verifyUnionPaySm4Mac(LmkKey mak, byte[] mab, byte[] field64) {
        return verifySm4Mac(KeyType.MAK, mak, Sm4MacAlgorithm.UNIONPAY_POS, mab, field64);
    }

    /**
     * Z8: the 16-byte SM4 PIN block of a terminal (under its SM4 PIK, {@code sourceType}
     * {@link KeyType#PIK}, or under an SM4 ZPK) re-encrypted under a ZPK that is SM4 (16-byte block)
     * or TDES (ISO format 0, 8 bytes). {@code pan} is the full card number.
     */
    Future<PinTranslation> translateSm4Pin(KeyType sourceType, LmkKey source, LmkKey destinationZpk,
            byte[] pinBlock, String pan);

    /** K1: an SM2 key pair whose private key stays under the LMK. */
    Future<Sm2KeyPair> generateSm2KeyPair(RsaKeyUsage usage);

    /**
     * WO: an SM4 key encrypted under our SM2 public key ({@code C1 ‖ C3 ‖ C2}), imported under the
     * LMK. Fails with {@link HsmException} code 01 when it does not decrypt to a 16-byte key.
     */
    Future<KeyWithKcv> importSm4KeyUnderSm2(KeyType type, LmkSm2PrivateKey privateKey, byte[] ciphertext);

    /** K3: SM3withSM2 signature {@code r ‖ s} (64 bytes) of {@code data}, default user id. */
    default Future<byte[]> sm2Sign(LmkSm2PrivateKey privateKey, byte[] data) {
        return sm2Sign(privateKey, null, data);
    }

    /** K3 with an explicit user id ({@code null}: the default {@code 1234567812345678}). */
    Future<byte[]> sm2Sign(LmkSm2PrivateKey privateKey, byte[] userId, byte[] data);

    // ---- diagnostics ----

    /** NC: LMK check value and firmware number. */
    Future<Diagnostics> diagnostics();
}
