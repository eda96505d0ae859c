package dev.posgate.hsm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.KeyWithKcv;
import dev.posgate.hsm.LmkKey;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;

/** Helpers shared by the simulator tests. */
final class SimTestSupport {
    static final RandomSource RANDOM = RandomSource.secure();

    private SimTestSupport() {
    }

    /** The result of {@code f}; a failure is rethrown as it is (see {@link Eventually#join}). */
    static <T> T await(Future<T> f) {
        return Eventually.join(f);
    }

    /** Asserts {@code f} fails with an {@link HsmException} carrying {@code code}. */
    static HsmException assertHsmError(String code, Future<?> f) {
        try {
            Object v = await(f);
            fail("expected HSM error " + code + ", got " + v);
            return null;
        } catch (HsmException e) {
            assertEquals(code, e.errorCode(), e.getMessage());
            return e;
        } catch (RuntimeException e) {
            assertInstanceOf(HsmException.class, e);
            return null;
        }
    }

    static byte[] randomKey(int len) {
        return Parity.adjustOdd(RANDOM.next(len));
    }

    /** Imports a known clear key through the ceremony command (3 components, odd parity each). */
    static LmkKey form(Hsm hsm, KeyType type, byte[] clear) {
        byte[] c1 = randomKey(clear.length);
        byte[] c2 = randomKey(clear.length);
        byte[] c3 = new byte[clear.length];
        for (int i = 0; i < clear.length; i++) {
            c3[i] = (byte) (clear[i] ^ c1[i] ^ c2[i]);
        }
        KeyWithKcv k = await(hsm.formKeyFromComponents(type, KeyScheme.lmkSchemeFor(clear.length), c1, c2, c3));
        assertEquals(dev.posgate.crypto.Kcv.hex6(clear), k.kcv().hex());
        return k.key();
    }
}
