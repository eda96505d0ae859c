package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.WrappedKey;
import java.util.Objects;

/**
 * ZO (extension) K-flow TMK delivery: Ctmk_tk = TDES-ECB(TEK, TMK); with an SM4 TEK and an SM4
 * TMK (scheme {@code P}, SM4 terminals) Ctmk_tk = SM4-ECB(TEK, TMK) and the KCV is the SM4 one
 * (first 4 bytes of SM4-ECB(TMK, 0¹²⁸)); mixed algorithms are error 26.
 *
 * <pre>
 * ZO tek(1A+nH, type 00E) tmk(1A+nH, type 002)
 * ZP error(2) tmkUnderTek(1A+nH, Z/X/Y) tmkKcv(8H)
 * </pre>
 */
public record TmkUnderTekRequest(LmkKey tek, LmkKey tmk) implements HsmRequest<ExportKeyReply> {

    public TmkUnderTekRequest {
        Objects.requireNonNull(tek, "tek");
        Objects.requireNonNull(tmk, "tmk");
    }

    @Override
    public String commandCode() {
        return "ZO";
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(tek).key(tmk);
    }

    public static TmkUnderTekRequest read(FieldReader r) {
        LmkKey tek = r.anyLmkKey("TEK");
        LmkKey tmk = r.anyLmkKey("TMK");
        r.expectEnd();
        return new TmkUnderTekRequest(tek, tmk);
    }

    @Override
    public ExportKeyReply readReply(FieldReader r) {
        if (tek.algorithm() == dev.posgate.hsm.KeyAlgorithm.SM4) { // P + 32H under an SM4 TEK
            WrappedKey key = r.sm4WrappedKey("TMK under TEK");
            Kcv kcv = Fields.kcv(r, 4);
            r.expectEnd();
            return new ExportKeyReply(key, kcv);
        }
        return ExportKeyReply.read(r, 4);
    }
}
