package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.LmkSm2PrivateKey;
import java.util.Objects;

/**
 * WQ (extension) the L-flow key-loader exchange with SM2 (SM4 terminals, docs/kms.md "L-flow with
 * SM2"), the counterpart of ZQ: decrypt SM2(Pk, Rnd1 ‖ Rnd2) ({@code C1 ‖ C3 ‖ C2}, Rnd1 16 bytes,
 * Rnd2 8) with the loader's SM2 key (usage 2), Ctmk = SM4-ECB(Rnd1, TMK) with the SM4 TMK, and
 * return {@code Ctmk ‖ Rnd2 ‖ r ‖ s}: the data in clear followed by the loader's SM3withSM2
 * signature over it (default user id). Rnd1 never leaves the HSM.
 *
 * <pre>
 * WQ keyIndex(2N: 99) privateKeyLength(4N) privateKey(nB) tmk(P+32H, type 002) blockLength(4N) block(121B)
 * WR error(2) resultLength(4N) result(88B) tmkKcv(8H)
 * </pre>
 * Error {@code 01}: the block does not decrypt or is not 24 bytes.
 */
public record Sm2KeyLoaderExchangeRequest(LmkSm2PrivateKey loaderKey, LmkKey tmk, byte[] block)
        implements HsmRequest<KeyLoaderExchangeReply> {

    public Sm2KeyLoaderExchangeRequest {
        Objects.requireNonNull(loaderKey, "loaderKey");
        Objects.requireNonNull(tmk, "tmk");
        Fields.requireSm4(tmk, "TMK");
        block = Fields.lengthPrefixedBlock(block);
    }

    @Override
    public byte[] block() {
        return block.clone();
    }

    @Override
    public String commandCode() {
        return "WQ";
    }

    @Override
    public void writeFields(FieldWriter w) {
        Fields.writeSm2PrivateKey(w, loaderKey);
        w.key(tmk).lengthPrefixed(block);
    }

    public static Sm2KeyLoaderExchangeRequest read(FieldReader r) {
        LmkSm2PrivateKey pk = Fields.sm2PrivateKey(r);
        LmkKey tmk = r.sm4LmkKey("TMK");
        byte[] block = r.lengthPrefixed("SM2 block");
        r.expectEnd();
        return new Sm2KeyLoaderExchangeRequest(pk, tmk, block);
    }

    @Override
    public KeyLoaderExchangeReply readReply(FieldReader r) {
        byte[] result = r.lengthPrefixed("result block");
        KeyLoaderExchangeReply reply = new KeyLoaderExchangeReply(result, Fields.kcv(r, 4));
        r.expectEnd();
        return reply;
    }
}
