package dev.posgate.gateway.tms;

import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacParams;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.tms.download.SealedBody;
import io.vertx.core.Future;
import java.util.List;

/**
 * Seals and opens download-phase bodies under the session DWK, inside the HSM (M0/M2 TDES-CBC,
 * M6/M8 X9.19): the gateway never holds the DWK in clear.
 */
final class HsmSeal {
    /** The body's MAC did not verify, or it did not decrypt to padded TLVs. */
    static final class BadSealException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadSealException(String message) {
            super(message, null, false, false);
        }
    }

    private final Hsm hsm;
    private final RandomSource random;

    HsmSeal(Hsm hsm, RandomSource random) {
        this.hsm = hsm;
        this.random = random;
    }

    /** The TLVs of a sealed body; fails with {@link BadSealException} on a bad MAC or padding. */
    Future<List<Tlv>> open(LmkKey dwk, byte[] body) {
        SealedBody.Parts p = SealedBody.split(body);
        // MAC check and decryption are independent: run them side by side, trust the plaintext only if the MAC holds
        Future<Boolean> mac = hsm.verifyMac(KeyType.DWK, dwk, MacParams.X9_19, p.macInput(), p.mac());
        Future<byte[]> plain = hsm.decryptData(KeyType.DWK, dwk, CipherMode.CBC, p.iv(), p.ciphertext());
        return Future.all(mac, plain).compose(all -> {
            if (!mac.result()) return Future.failedFuture(new BadSealException("sealed body MAC mismatch"));
            try {
                return Future.succeededFuture(SealedBody.tlvs(plain.result()));
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(new BadSealException("sealed body does not decrypt to padded TLVs"));
            }
        });
    }

    Future<byte[]> seal(LmkKey dwk, List<Tlv> tlvs) {
        byte[] iv = random.next(SealedBody.IV);
        return hsm.encryptData(KeyType.DWK, dwk, CipherMode.CBC, iv, SealedBody.plaintext(tlvs))
                .compose(ct -> hsm.generateMac(KeyType.DWK, dwk, MacParams.X9_19, SealedBody.macInput(iv, ct))
                        .map(mac -> SealedBody.assemble(iv, ct, mac)));
    }
}
