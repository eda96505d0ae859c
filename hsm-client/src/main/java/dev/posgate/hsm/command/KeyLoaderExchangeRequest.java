package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkPrivateKey;
import java.util.Objects;

/**
 * ZQ (extension) the L-flow key-loader exchange in one command (protocol.md section 3): OAEP
 * (SHA-256) decrypt RSA_Pu(Rnd1 ‖ Rnd2) with the loader private key (Rnd1 16 bytes, Rnd2 8),
 * Ctmk = TDES-ECB(Rnd1, TMK), return RSA_Prk(Ctmk ‖ Rnd2) (PKCS#1 v1.5 type-1 private-key
 * encryption with the same key). Rnd1 never leaves the HSM.
 *
 * <pre>
 * ZQ privateKeyLength(4N) privateKey(nB, usage 2) tmk(1A+nH, type 002) blockLength(4N) block(nB)
 * ZR error(2) resultLength(4N) result(nB) tmkKcv(8H)
 * </pre>
 * Error {@code 01}: the block does not decrypt or is not 24 bytes.
 */
public record KeyLoaderExchangeRequest(LmkPrivateKey loaderKey, LmkKey tmk, byte[] block)
        implements HsmRequest<KeyLoaderExchangeReply> {

    public KeyLoaderExchangeRequest {
        Objects.requireNonNull(loaderKey, "loaderKey");
        Objects.requireNonNull(tmk, "tmk");
        block = Fields.lengthPrefixedBlock(block);
    }

    @Override
    public byte[] block() {
        return block.clone();
    }

    @Override
    public String commandCode() {
        return "ZQ";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.privateKey(loaderKey).key(tmk).lengthPrefixed(block);
    }

    public static KeyLoaderExchangeRequest read(FieldReader r) {
        LmkPrivateKey pk = r.privateKey("loader private key");
        LmkKey tmk = r.lmkKey("TMK");
        byte[] block = r.lengthPrefixed("RSA block");
        r.expectEnd();
        return new KeyLoaderExchangeRequest(pk, tmk, block);
    }

    @Override
    public KeyLoaderExchangeReply readReply(FieldReader r) {
        byte[] result = r.lengthPrefixed("result block");
        KeyLoaderExchangeReply reply = new KeyLoaderExchangeReply(result, Fields.kcv(r, 4));
        r.expectEnd();
        return reply;
    }
}
