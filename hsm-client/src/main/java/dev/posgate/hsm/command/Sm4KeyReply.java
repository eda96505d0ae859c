package dev.posgate.hsm.command;

import dev.posgate.hsm.Kcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.WrappedKey;
import java.util.Objects;

/**
 * WJ / SW / WP: an SM4 key under the LMK ({@code P} + 32H), for WJ mode 1 also under the KEK,
 * and its 16H check value (SM4-ECB of 16 zero bytes, leftmost 8 bytes).
 */
public record Sm4KeyReply(LmkKey key, WrappedKey underKek, Kcv kcv) implements HsmReply {
    /** Bytes of the check value in SM replies (16 hex, as the Racal-compatible Chinese HSMs answer). */
    public static final int KCV_BYTES = 8;

    public Sm4KeyReply {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kcv, "kcv");
        Fields.requireSm4(key, "key");
    }

    @Override
    public void writeFields(FieldWriter w) {
        w.key(key);
        if (underKek != null) {
            w.key(underKek);
        }
        w.hex(kcv.bytes());
    }

    static Sm4KeyReply read(FieldReader r, boolean wrapped) {
        LmkKey key = r.sm4LmkKey("SM4 key under LMK");
        WrappedKey w = wrapped ? r.sm4WrappedKey("SM4 key under KEK") : null;
        Kcv kcv = Fields.kcv(r, KCV_BYTES);
        r.expectEnd();
        return new Sm4KeyReply(key, w, kcv);
    }
}
