package dev.posgate.gateway.posp.wire;

import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.hsm.GeneratedKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.Wrapping;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import dev.posgate.gateway.posp.store.PospTerminals;

/**
 * Has the HSM generate a sign-on's working keys, each under the LMK (to store) and under the
 * terminal's key-encrypting key (to send): the TMK, or the PSAM card master key the HSM derives
 * from the root key and the card number. Nothing clear passes through here. A terminal whose
 * profile asks for a single-length MAK gets it in the 003/004 layout (8 key bytes, 8 zero bytes).
 * An SM4 terminal gets SM4 keys ({@code WI} mode 1 under its SM4 TMK): the same 003/004 layouts
 * with 16-byte SM4 keys and 4-byte SM4 KCVs (protocol.md section 5).
 */
public final class WorkingKeyIssuer {
    /** Field 62 for the terminal and the keys to store. */
    public record Issued(WorkingKeyBlock block, List<PospTerminals.IssuedKey> toStore) {}

    private static final String[] NAMES = {"PIK", "MAK", "TDK"};
    private static final KeyType[] TYPES = {KeyType.PIK, KeyType.MAK, KeyType.TDK};

    private final Hsm hsm;

    public WorkingKeyIssuer(Hsm hsm) {
        this.hsm = hsm;
    }

    public Future<Issued> underTmk(SignOnMode mode, Terminal.MakLength makLength, LmkKey tmk) {
        return issue(mode, makLength, (type, scheme) -> hsm.generateKeyUnder(type, scheme, Wrapping.TMK, tmk));
    }

    /**
     * SM4 PIK, MAK (and TDK) under the terminal's SM4 TMK; 003/004 only
     * ({@link WorkingKeyBlock#supports}). The MAK-length profile does not apply: SM4 keys are 16 bytes.
     */
    public Future<Issued> sm4UnderTmk(SignOnMode mode, LmkKey sm4Tmk) {
        if (!WorkingKeyBlock.supports(mode, KeyAlgorithm.SM4)) {
            return Future.failedFuture(new IllegalArgumentException("no " + mode.code() + " sign-on with SM4 keys"));
        }
        return issue(mode, KeyAlgorithm.SM4, Terminal.MakLength.DOUBLE,
                (type, scheme) -> hsm.generateSm4KeyUnder(type, Wrapping.TMK, sm4Tmk));
    }

    public Future<Issued> underPsam(SignOnMode mode, Terminal.MakLength makLength, LmkKey psamRoot, String cardNumber) {
        return issue(mode, makLength, (type, scheme) -> hsm.generateWorkingKeyUnderPsam(psamRoot, cardNumber, type, scheme));
    }

    /** Single length (Z) for 001, and for the MAK of a terminal whose profile asks for it; U otherwise. */
    private static KeyScheme scheme(SignOnMode mode, Terminal.MakLength makLength, KeyType type) {
        if (mode.keyLength() == 8) return KeyScheme.Z;
        return type == KeyType.MAK && makLength == Terminal.MakLength.SINGLE ? KeyScheme.Z : KeyScheme.U;
    }

    private static Future<Issued> issue(SignOnMode mode, Terminal.MakLength makLength,
            BiFunction<KeyType, KeyScheme, Future<GeneratedKey>> generate) {
        return issue(mode, KeyAlgorithm.TDES, makLength, generate);
    }

    private static Future<Issued> issue(SignOnMode mode, KeyAlgorithm algorithm, Terminal.MakLength makLength,
            BiFunction<KeyType, KeyScheme, Future<GeneratedKey>> generate) {
        List<Future<GeneratedKey>> keys = new ArrayList<>();
        for (int i = 0; i < mode.keyCount(); i++) keys.add(generate.apply(TYPES[i], scheme(mode, makLength, TYPES[i])));
        return Future.all(keys).map(all -> {
            List<WorkingKeyBlock.Entry> entries = new ArrayList<>();
            List<PospTerminals.IssuedKey> store = new ArrayList<>();
            for (int i = 0; i < mode.keyCount(); i++) {
                GeneratedKey k = all.resultAt(i);
                byte[] cryptogram = k.underWrapping().cryptogram();
                byte[] kcv = k.kcv().first(SignOnMode.KCV_LENGTH);
                entries.add(cryptogram.length < mode.keyLength()
                        ? WorkingKeyBlock.Entry.singleLength(cryptogram, kcv)
                        : new WorkingKeyBlock.Entry(cryptogram, kcv));
                store.add(new PospTerminals.IssuedKey(NAMES[i], k.underLmk(), k.kcv().storedHex()));
            }
            return new Issued(WorkingKeyBlock.of(mode, algorithm, entries), store);
        });
    }
}
