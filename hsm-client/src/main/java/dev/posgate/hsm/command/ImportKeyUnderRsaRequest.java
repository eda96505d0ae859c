package dev.posgate.hsm.command;

import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkPrivateKey;
import java.util.Objects;

/**
 * GI import a DES/TDES key encrypted under an RSA public key. The payShield manual was not
 * available; this layout is posgate's (docs/hsm-protocol.md, GI):
 *
 * <pre>
 * GI encryptionId(2N: 01 RSA) padMode(2N: 02 = OAEP, SHA-256, MGF1-SHA-256, empty label)
 *    keyType(3H) encryptedKeyLength(4N) encryptedKey(nB) ';' privateKeyFlag(2N: 99)
 *    privateKeyLength(4N) privateKey(nB) ';' schemeLMK(1A)
 * GJ error(2) key(1A+nH) kcv(6H)
 * </pre>
 * The OAEP plaintext is the bare clear key (8, 16 or 24 bytes, matching the LMK scheme, odd
 * parity). Error {@code 01} = the block does not decrypt, has the wrong length or bad parity
 * (one code for all, so it is no padding oracle).
 */
public record ImportKeyUnderRsaRequest(KeyType keyType, KeyScheme lmkScheme, byte[] encryptedKey,
        LmkPrivateKey privateKey) implements HsmRequest<KeyUnderLmkReply> {

    public ImportKeyUnderRsaRequest {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(lmkScheme, "lmkScheme");
        Objects.requireNonNull(encryptedKey, "encryptedKey");
        Objects.requireNonNull(privateKey, "privateKey");
        if (!lmkScheme.isLmkScheme()) {
            throw new IllegalArgumentException("not an LMK scheme: " + lmkScheme);
        }
        if (encryptedKey.length == 0 || encryptedKey.length > 9999) {
            throw new IllegalArgumentException("bad encrypted key length");
        }
        encryptedKey = encryptedKey.clone();
    }

    @Override
    public byte[] encryptedKey() {
        return encryptedKey.clone();
    }

    @Override
    public String commandCode() {
        return "GI";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.ascii("01").ascii("02").ascii(keyType.code()).lengthPrefixed(encryptedKey)
                .ch(';').ascii("99").privateKey(privateKey).ch(';').ch(lmkScheme.tag());
    }

    public static ImportKeyUnderRsaRequest read(FieldReader r) {
        if (!r.ascii(2, "encryption identifier").equals("01")) {
            throw new FieldException("15", "encryption identifier must be 01 (RSA)");
        }
        if (!r.ascii(2, "pad mode identifier").equals("02")) {
            throw new FieldException("15", "pad mode must be 02 (OAEP SHA-256)");
        }
        KeyType type = Fields.keyType(r, "04");
        byte[] enc = r.lengthPrefixed("encrypted key");
        r.expect(';', "delimiter");
        if (!r.ascii(2, "private key flag").equals("99")) {
            throw new FieldException("15", "private key flag must be 99 (key in the command)");
        }
        LmkPrivateKey priv = r.privateKey("private key");
        r.expect(';', "delimiter");
        KeyScheme scheme = Fields.lmkScheme(r);
        r.expectEnd();
        return new ImportKeyUnderRsaRequest(type, scheme, enc, priv);
    }

    @Override
    public KeyUnderLmkReply readReply(FieldReader r) {
        return KeyUnderLmkReply.read(r, 3);
    }
}
