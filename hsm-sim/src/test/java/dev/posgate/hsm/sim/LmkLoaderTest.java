package dev.posgate.hsm.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmkLoaderTest {
    @TempDir
    Path dir;

    @Test
    void developmentGeneratesOnceThenReloads() throws Exception {
        Path file = dir.resolve("sub/lmk.txt");
        HsmSimConfig cfg = HsmSimConfig.builder().lmkFile(file).lmkEnvVar(null).development(true).build();
        Lmk first = LmkLoader.load(cfg, k -> null);
        assertTrue(Files.exists(file));
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        Lmk again = LmkLoader.load(cfg, k -> null);
        assertEquals(first.checkValue(), again.checkValue());
        byte[] key = Parity.adjustOdd(RandomSource.secure().next(16));
        LmkKey enc = first.encrypt(KeyType.ZPK, key);
        assertArrayEquals(key, again.decrypt(KeyType.ZPK, enc));
        // production: a missing file is an error, not a new LMK
        HsmSimConfig prod = HsmSimConfig.builder().lmkFile(dir.resolve("none.txt")).lmkEnvVar(null).build();
        assertThrows(IllegalStateException.class, () -> LmkLoader.load(prod, k -> null));
        assertFalse(Files.exists(dir.resolve("none.txt")));
    }

    @Test
    void environmentVariableWinsOverFile() {
        Lmk lmk = Lmk.generate(RandomSource.secure());
        String compact = lmk.format().lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.substring(l.indexOf('=') + 1)).reduce("", String::concat);
        HsmSimConfig cfg = HsmSimConfig.builder().lmkFile(dir.resolve("x.txt")).build();
        Lmk loaded = LmkLoader.load(cfg, Map.of(HsmSimConfig.DEFAULT_LMK_ENV, compact)::get);
        assertEquals(lmk.checkValue(), loaded.checkValue());
        assertEquals(lmk.checkValue(), Lmk.parse(lmk.format()).checkValue());
    }

    @Test
    void rejectsBadLmks() {
        assertThrows(IllegalArgumentException.class, () -> Lmk.parse("00-01=0123"));
        String even = "00".repeat(320);
        assertThrows(IllegalArgumentException.class, () -> Lmk.parse(even));
    }

    @Test
    void keyTypesAreSeparatedByVariants() {
        Lmk lmk = Lmk.generate(RandomSource.secure());
        byte[] key = Parity.adjustOdd(RandomSource.secure().next(16));
        LmkKey zpk = lmk.encrypt(KeyType.ZPK, key);
        LmkKey tpk = lmk.encrypt(KeyType.TPK, key);
        LmkKey tek = lmk.encrypt(KeyType.TEK, key);
        LmkKey auk = lmk.encrypt(KeyType.AUK, key);
        assertFalse(zpk.equals(tpk) || tek.equals(auk) || zpk.equals(tek));
        // the two halves of a double-length key are encrypted under different scheme variants
        LmkKey same = lmk.encrypt(KeyType.ZPK, new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        byte[] c = same.cryptogram();
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(c, 8), java.util.Arrays.copyOfRange(c, 8, 16)));
    }

}
