package dev.posgate.gateway.tms.wire;

import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmErrors;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.LmkKey;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.TmsCipher;
import dev.posgate.protocol.tms.download.SealedBody;
import io.vertx.core.Future;
import java.util.List;

/**
 * Seals and opens download-phase bodies under the session DWK, inside the HSM (Z0/Z2, one command
 * each; an SM4 DWK gets the SM4 layout): the gateway never holds the DWK in clear, and the HSM does no other data work under it.
 */
public final class HsmSeal {
    /** The body's MAC did not verify, or it did not decrypt to padded TLVs. */
    static final class BadSealException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadSealException(String message) {
            super(message, null, false, false);
        }
    }

    private final Hsm hsm;
    private final int maxRequest;

    public HsmSeal(Hsm hsm, int maxRequest) {
        this.hsm = hsm;
        this.maxRequest = maxRequest;
    }

    /**
     * Whether a sealed request of {@code length} bytes may be opened: the HSM's reply to Z2 carries
     * it back in clear, and a reply over the pool's frame cap would fail in the pool (it once dropped
     * the HSM connection with every command in flight on it).
     */
    boolean admits(int length) {
        return length <= maxRequest;
    }

    /** The TLVs of a sealed body; fails with {@link BadSealException} on a bad MAC or padding. */
    Future<List<Tlv>> open(LmkKey dwk, TmsCipher cipher, byte[] body) {
        // one HSM command: the MAC is verified before anything is decrypted
        return hsm.openBody(dwk, body)
                .recover(e -> e instanceof HsmException h && HsmErrors.VERIFICATION_FAILED.equals(h.errorCode())
                        ? Future.failedFuture(new BadSealException("sealed body MAC mismatch"))
                        : Future.failedFuture(e))
                .compose(plain -> {
                    try {
                        return Future.succeededFuture(SealedBody.tlvs(plain, cipher));
                    } catch (IllegalArgumentException e) {
                        return Future.failedFuture(new BadSealException("sealed body does not decrypt to padded TLVs"));
                    }
                });
    }

    /** Z0 picks the layout by the DWK's algorithm; the plaintext is padded to the family's block. */
    Future<byte[]> seal(LmkKey dwk, TmsCipher cipher, List<Tlv> tlvs) {
        return hsm.sealBody(dwk, SealedBody.plaintext(tlvs, cipher));
    }
}
