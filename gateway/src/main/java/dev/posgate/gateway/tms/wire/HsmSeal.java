package dev.posgate.gateway.tms.wire;

import dev.posgate.crypto.CbcSeal;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.MacParams;
import dev.posgate.protocol.tms.handshake.HostSession;
import java.util.Arrays;
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
    private final RandomSource random;

    public HsmSeal(Hsm hsm, int maxRequest) {
        this(hsm, maxRequest, RandomSource.secure());
    }

    /** {@code random} picks the IVs of mode-03 bodies (M0 takes the IV from the host). */
    public HsmSeal(Hsm hsm, int maxRequest, RandomSource random) {
        this.hsm = hsm;
        this.maxRequest = maxRequest;
        this.random = random;
    }

    /** The TLVs of a body sealed under the session's keys: mode 03 with M8 + M2, else Z2 under the DWK. */
    Future<List<Tlv>> open(HostSession<LmkKey, ?> state, byte[] body) {
        if (!state.cipher().sessionKeys()) return open(state.dwk(), state.cipher(), body);
        if (body.length < CbcSeal.MIN_BODY || body.length % Tdes.BLOCK != 0) {
            return Future.failedFuture(new BadSealException("sealed body must be at least 24 bytes, a multiple of 8"));
        }
        int macAt = body.length - CbcSeal.MAC;
        byte[] ivAndCipher = Arrays.copyOf(body, macAt);
        // the MAC first (M8, X9.19 under the TAK): nothing unauthenticated reaches M2
        return hsm.verifyMac(KeyType.TAK, state.macKey(), MacParams.X9_19, ivAndCipher, Arrays.copyOfRange(body, macAt, body.length))
                .compose(ok -> ok
                        ? hsm.decryptData(KeyType.DEK, state.dataKey(), CipherMode.CBC, Arrays.copyOf(body, CbcSeal.IV),
                                Arrays.copyOfRange(body, CbcSeal.IV, macAt))
                        : Future.failedFuture(new BadSealException("sealed body MAC mismatch")))
                .compose(plain -> tlvs(plain, state.cipher()));
    }

    /** Seals under the session's keys: mode 03 with M0 (CBC under the DEK, IV from here) + M6 (X9.19 under the TAK), else Z0. */
    Future<byte[]> seal(HostSession<LmkKey, ?> state, List<Tlv> tlvs) {
        if (!state.cipher().sessionKeys()) return seal(state.dwk(), state.cipher(), tlvs);
        byte[] iv = random.next(CbcSeal.IV);
        return hsm.encryptData(KeyType.DEK, state.dataKey(), CipherMode.CBC, iv, SealedBody.plaintext(tlvs, state.cipher()))
                .compose(c -> {
                    byte[] ivAndCipher = new byte[CbcSeal.IV + c.length];
                    System.arraycopy(iv, 0, ivAndCipher, 0, CbcSeal.IV);
                    System.arraycopy(c, 0, ivAndCipher, CbcSeal.IV, c.length);
                    return hsm.generateMac(KeyType.TAK, state.macKey(), MacParams.X9_19, ivAndCipher).map(mac -> {
                        byte[] body = Arrays.copyOf(ivAndCipher, ivAndCipher.length + CbcSeal.MAC);
                        System.arraycopy(mac, 0, body, ivAndCipher.length, CbcSeal.MAC);
                        return body;
                    });
                });
    }

    private static Future<List<Tlv>> tlvs(byte[] plain, TmsCipher cipher) {
        try {
            return Future.succeededFuture(SealedBody.tlvs(plain, cipher));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new BadSealException("sealed body does not decrypt to padded TLVs"));
        }
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
