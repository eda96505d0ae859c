package dev.posgate.hsm.command;

import dev.posgate.hsm.LmkKey;
import java.util.Objects;

/**
 * ZO (extension) K-flow TMK delivery: Ctmk_tk = TDES-ECB(TEK, TMK).
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
        LmkKey tek = r.lmkKey("TEK");
        LmkKey tmk = r.lmkKey("TMK");
        r.expectEnd();
        return new TmkUnderTekRequest(tek, tmk);
    }

    @Override
    public ExportKeyReply readReply(FieldReader r) {
        return ExportKeyReply.read(r, 4);
    }
}
