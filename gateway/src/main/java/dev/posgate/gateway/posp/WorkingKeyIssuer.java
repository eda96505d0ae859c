package dev.posgate.gateway.posp;

import dev.posgate.posp.SignOnMode;
import dev.posgate.posp.WorkingKeyBlock;
import dev.posgate.hsm.GeneratedKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.Wrapping;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Has the HSM generate a sign-on's working keys, each under the LMK (to store) and under the
 * terminal's key-encrypting key (to send): the TMK, or the PSAM card master key the HSM derives
 * from the root key and the card number. Nothing clear passes through here.
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

    public Future<Issued> underTmk(SignOnMode mode, LmkKey tmk) {
        return issue(mode, type -> hsm.generateKeyUnder(type, scheme(mode), Wrapping.TMK, tmk));
    }

    public Future<Issued> underPsam(SignOnMode mode, LmkKey psamRoot, String cardNumber) {
        return issue(mode, type -> hsm.generateWorkingKeyUnderPsam(psamRoot, cardNumber, type, scheme(mode)));
    }

    private static KeyScheme scheme(SignOnMode mode) {
        return mode.keyLength() == 8 ? KeyScheme.Z : KeyScheme.U;
    }

    private static Future<Issued> issue(SignOnMode mode, Function<KeyType, Future<GeneratedKey>> generate) {
        List<Future<GeneratedKey>> keys = new ArrayList<>();
        for (int i = 0; i < mode.keyCount(); i++) keys.add(generate.apply(TYPES[i]));
        return Future.all(keys).map(all -> {
            List<WorkingKeyBlock.Entry> entries = new ArrayList<>();
            List<PospTerminals.IssuedKey> store = new ArrayList<>();
            for (int i = 0; i < mode.keyCount(); i++) {
                GeneratedKey k = all.resultAt(i);
                entries.add(new WorkingKeyBlock.Entry(k.underWrapping().cryptogram(), k.kcv().first(SignOnMode.KCV_LENGTH)));
                store.add(new PospTerminals.IssuedKey(NAMES[i], k.underLmk(), k.kcv().storedHex()));
            }
            return new Issued(WorkingKeyBlock.of(mode, entries), store);
        });
    }
}
