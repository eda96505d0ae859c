package dev.posgate.hsm.sim;

import dev.posgate.hsm.KeyType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Which TR-31 key usages (and modes of use) a variant-LMK key type may carry in a TR-31 block,
 * exported (A8 … R) or imported (A6 … R…). posgate's table, from the TR-31 / X9.143 usage
 * codes (and payShield's numeric ones for its own key types: 51 TMK, 52 ZMK, 71 TPK, 72 ZPK,
 * 21 DEK, 22 ZEK); the posgate extension types (00E-40E) have no TR-31 form and stay out.
 */
final class Tr31Usages {
    private Tr31Usages() {
    }

    private static final Map<KeyType, Set<String>> USAGES = new EnumMap<>(Map.of(
            KeyType.ZPK, Set.of("P0", "72"),
            KeyType.TMK, Set.of("P0", "71", "51", "K0"),
            KeyType.TAK, Set.of("M0", "M1", "M3"),
            KeyType.ZAK, Set.of("M0", "M1", "M3"),
            KeyType.BDK, Set.of("B0"),
            KeyType.ZEK, Set.of("D0", "22"),
            KeyType.DEK, Set.of("D0", "21")));

    /** The usages {@code type} may carry; empty for types with no TR-31 form. */
    static Set<String> of(KeyType type) {
        return USAGES.getOrDefault(type, Set.of());
    }

    /** Modes of use compatible with a usage: MAC keys C/G/V, BDKs X, the rest B/E/D/N. */
    static boolean modeFits(String usage, char mode) {
        if (usage.startsWith("M")) {
            return mode == 'C' || mode == 'G' || mode == 'V' || mode == 'N';
        }
        if (usage.equals("B0")) {
            return mode == 'X' || mode == 'N';
        }
        return mode == 'B' || mode == 'E' || mode == 'D' || mode == 'N';
    }
}
