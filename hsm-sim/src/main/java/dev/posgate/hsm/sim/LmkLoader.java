package dev.posgate.hsm.sim;

import dev.posgate.crypto.RandomSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the LMK: in-memory config value, then the environment variable, then the file; in
 * development a missing file is generated (logged with its check value, never its content).
 */
public final class LmkLoader {
    private static final Logger log = LoggerFactory.getLogger(LmkLoader.class);

    private LmkLoader() {
    }

    public static Lmk load(HsmSimConfig config) {
        return load(config, System::getenv);
    }

    static Lmk load(HsmSimConfig config, Function<String, String> env) {
        if (config.lmk() != null) {
            return config.lmk();
        }
        if (config.lmkEnvVar() != null) {
            String v = env.apply(config.lmkEnvVar());
            if (v != null && !v.isBlank()) {
                Lmk lmk = Lmk.parse(v);
                log.info("LMK loaded from environment variable {}; check value {}", config.lmkEnvVar(), lmk.checkValue());
                return lmk;
            }
        }
        Path file = config.lmkFile();
        if (file == null) {
            throw new IllegalStateException("no LMK: environment variable " + config.lmkEnvVar()
                    + " is not set and no LMK file is configured");
        }
        if (Files.exists(file)) {
            try {
                Lmk lmk = Lmk.parse(Files.readString(file, StandardCharsets.US_ASCII));
                log.info("LMK loaded from {}; check value {}", file, lmk.checkValue());
                return lmk;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read LMK file " + file, e);
            }
        }
        if (!config.development()) {
            throw new IllegalStateException("LMK file " + file + " does not exist (generated only in development mode)");
        }
        Lmk lmk = Lmk.generate(RandomSource.secure());
        write(file, lmk);
        log.warn("DEVELOPMENT: generated a new LMK into {}; check value {}", file, lmk.checkValue());
        return lmk;
    }

    private static void write(Path file, Lmk lmk) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, lmk.format(), StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("LMK file " + file + " appeared concurrently; not overwritten", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write LMK file " + file, e);
        }
    }
}
