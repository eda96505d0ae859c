package dev.posgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** The table-driven key schedule must be bit-identical to BouncyCastle's. */
class DesCoreTest {
    /** Exposes BouncyCastle's own (slow) key schedule as the oracle. */
    static final class Oracle extends DESEngine {
        int[] schedule(boolean encrypt, byte[] key8) {
            return generateWorkingKey(encrypt, key8);
        }
    }

    @Test
    void scheduleEqualsBouncyCastleForRandomAndEdgeKeys() {
        Oracle oracle = new Oracle();
        SplittableRandom r = new SplittableRandom(2024);
        for (int n = 0; n < 3000; n++) {
            byte[] key = TdesTest.bytes(r, 8);
            if (n < 256) {
                java.util.Arrays.fill(key, (byte) n); // every byte value in every position
            }
            assertArrayEquals(oracle.schedule(true, key), DesCore.schedule(key, 0, true), V.hx(key));
            assertArrayEquals(oracle.schedule(false, key), DesCore.schedule(key, 0, false), V.hx(key));
        }
    }

    @Test
    void blocksEqualBouncyCastleEngines() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n < 600; n++) {
            int len = new int[] {8, 16, 24}[n % 3];
            byte[] key = TdesTest.bytes(r, len);
            byte[] in = TdesTest.bytes(r, 8);
            for (boolean enc : new boolean[] {true, false}) {
                BlockCipher bc = len == 8 ? new DESEngine() : new DESedeEngine();
                bc.init(enc, new KeyParameter(key));
                byte[] want = new byte[8];
                bc.processBlock(in, 0, want, 0);
                byte[] got = new byte[8];
                DesCore.of(key, enc).block(in, 0, got, 0);
                assertArrayEquals(want, got);
                byte[] inPlace = in.clone();
                DesCore.of(key, enc).block(inPlace, 0, inPlace, 0);
                assertArrayEquals(want, inPlace);
            }
        }
    }

    @Test
    void concurrentUseGivesTheSameResults() throws Exception {
        byte[] key = V.h("0123456789ABCDEFFEDCBA9876543210");
        byte[] data = new byte[8 * 64];
        new SplittableRandom(1).nextBytes(data);
        byte[] expected = Tdes.encryptCbc(key, new byte[8], data);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<byte[]>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                fs.add(pool.submit(() -> Tdes.encryptCbc(key, new byte[8], data)));
            }
            for (java.util.concurrent.Future<byte[]> f : fs) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
