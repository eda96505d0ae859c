package dev.posgate.load.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The kinds' shares of MixedTrafficSimulation, and the pick by a uniform number. */
class MixSharesTest {

    private static MixShares of(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
        return MixShares.from(p);
    }

    @Test
    void theDefaultsAddUpToOne() {
        MixShares m = of();
        assertEquals(0.40, m.share(MixShares.PURCHASE), 1e-9);
        assertEquals(0.05, m.share(MixShares.SETTLEMENT), 1e-9);
        double sum = 0;
        for (String k : MixShares.kinds()) sum += m.share(k);
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void aKindWithoutShareIsNeverPickedAndPicksFollowTheShares() {
        MixShares m = of("mix.purchase", "1", "mix.ic", "0", "mix.balance", "0", "mix.preauth", "0", "mix.refund", "1",
                "mix.settlement", "2");
        assertEquals(MixShares.PURCHASE, m.pick(0.0));
        assertEquals(MixShares.PURCHASE, m.pick(0.2499));
        assertEquals(MixShares.REFUND, m.pick(0.25));
        assertEquals(MixShares.SETTLEMENT, m.pick(0.5));
        assertEquals(MixShares.SETTLEMENT, m.pick(0.9999999));
        Map<String, Integer> n = new HashMap<>();
        for (int i = 0; i < 10_000; i++) n.merge(m.pick(i / 10_000.0), 1, Integer::sum);
        assertEquals(Map.of(MixShares.PURCHASE, 2_500, MixShares.REFUND, 2_500, MixShares.SETTLEMENT, 5_000), n);
    }

    @Test
    void unknownKindsNegativeSharesAndAnEmptyMixAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> of("mix.cashback", "1"));
        assertThrows(IllegalArgumentException.class, () -> of("mix.purchase", "-1"));
        assertThrows(IllegalArgumentException.class, () -> of("mix.purchase", "0", "mix.ic", "0", "mix.balance", "0",
                "mix.preauth", "0", "mix.refund", "0", "mix.settlement", "0"));
    }
}
