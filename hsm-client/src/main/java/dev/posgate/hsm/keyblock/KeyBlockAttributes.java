package dev.posgate.hsm.keyblock;

import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import java.util.List;
import java.util.Objects;

/**
 * The key-block attributes of a key to generate, as payShield's A0 carries them after the
 * {@code #} delimiter (the payShield 9000 A0 manual page shipped with ut-codec-payshield,
 * {@code docs/A0_generateKey.png}, and its A0 key-block sample {@code A00FFFS%01#K0T2B00E00}):
 *
 * <pre>
 * '#' keyUsage(2A) algorithm(2A) modeOfUse(1A) keyVersion(2A) exportability(1A) optionalBlockCount(2N) optionalBlocks
 * </pre>
 *
 * <p>Algorithm codes (the manual page): {@code D1} single-length DES, {@code T2}/{@code T3}
 * double/triple-length TDES, {@code A1}/{@code A2}/{@code A3} AES-128/192/256; the first
 * character goes into the header's algorithm byte.
 */
public record KeyBlockAttributes(String keyUsage, String algorithm, char modeOfUse, String keyVersion,
        char exportability, List<KeyBlockHeader.OptionalBlock> optionalBlocks) {

    public KeyBlockAttributes {
        Objects.requireNonNull(keyUsage, "keyUsage");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyVersion, "keyVersion");
        optionalBlocks = List.copyOf(optionalBlocks == null ? List.of() : optionalBlocks);
        if (keyLength(algorithm) == 0) {
            throw new IllegalArgumentException("unsupported key block algorithm " + algorithm);
        }
        // the header checks the remaining fields (accessors are not assigned yet here)
        KeyBlockHeader.of('0', keyUsage, algorithm.charAt(0), modeOfUse, keyVersion, exportability, "00", optionalBlocks);
    }

    /** Without optional blocks. */
    public static KeyBlockAttributes of(String keyUsage, String algorithm, char modeOfUse, String keyVersion,
            char exportability) {
        return new KeyBlockAttributes(keyUsage, algorithm, modeOfUse, keyVersion, exportability, List.of());
    }

    /** Key length in bytes of a 2-character algorithm code, 0 when unknown. */
    public static int keyLength(String algorithm) {
        return switch (algorithm) {
            case "D1" -> 8;
            case "T2", "A1" -> 16;
            case "T3", "A2" -> 24;
            case "A3" -> 32;
            default -> 0;
        };
    }

    /** Clear key length in bytes. */
    public int keyLength() {
        return keyLength(algorithm);
    }

    /** The key block header with these attributes (algorithm T or A). */
    public KeyBlockHeader header(char versionId, String reserved) {
        return KeyBlockHeader.of(versionId, keyUsage, algorithm.charAt(0), modeOfUse, keyVersion, exportability,
                reserved, optionalBlocks);
    }

    public void write(FieldWriter w) {
        w.ch('#').ascii(keyUsage).ascii(algorithm).ch(modeOfUse).ascii(keyVersion).ch(exportability);
        OptionalBlockFields.write(w, header('0', "00"));
    }

    /** Reads from the {@code #} on. */
    public static KeyBlockAttributes read(FieldReader r) {
        r.expect('#', "key block delimiter");
        String usage = r.ascii(2, "key usage");
        String alg = r.ascii(2, "algorithm");
        char mode = r.ch("mode of use");
        String version = r.ascii(2, "key version number");
        char export = r.ch("exportability");
        List<KeyBlockHeader.OptionalBlock> blocks = OptionalBlockFields.read(r);
        return OptionalBlockFields.validated(() -> new KeyBlockAttributes(usage, alg, mode, version, export, blocks));
    }
}
