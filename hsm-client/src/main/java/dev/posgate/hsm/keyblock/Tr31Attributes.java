package dev.posgate.hsm.keyblock;

import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import java.util.List;
import java.util.Objects;

/**
 * The TR-31 header attributes a variant key is exported with (A0 mode 1 / A8 with export scheme
 * {@code R}, payShield manual pages): after {@code &},
 * {@code keyUsage(2A) modeOfUse(1A) keyVersion(2N) exportability(N|S) optionalBlockCount(00-02) blocks}.
 */
public record Tr31Attributes(String keyUsage, char modeOfUse, String keyVersion, char exportability,
        List<KeyBlockHeader.OptionalBlock> optionalBlocks) {

    public Tr31Attributes {
        Objects.requireNonNull(keyUsage, "keyUsage");
        Objects.requireNonNull(keyVersion, "keyVersion");
        optionalBlocks = List.copyOf(optionalBlocks == null ? List.of() : optionalBlocks);
        if (exportability != 'N' && exportability != 'S') {
            throw new IllegalArgumentException("exportability of a TR-31 export from a variant LMK is N or S");
        }
        if (optionalBlocks.size() > 2) {
            throw new IllegalArgumentException("at most 2 optional blocks");
        }
        if (keyVersion.length() != 2 || !Character.isDigit(keyVersion.charAt(0)) || !Character.isDigit(keyVersion.charAt(1))) {
            throw new IllegalArgumentException("key version number is 2 digits");
        }
        KeyBlockHeader.of('B', keyUsage, 'T', modeOfUse, keyVersion, exportability, "00", optionalBlocks);
    }

    /** The TR-31 header for a key of {@code algorithm} in a version {@code versionId} block. */
    public KeyBlockHeader header(char versionId, char algorithm) {
        return KeyBlockHeader.of(versionId, keyUsage, algorithm, modeOfUse, keyVersion, exportability, "00",
                optionalBlocks);
    }

    public void write(FieldWriter w) {
        w.ch('&').ascii(keyUsage).ch(modeOfUse).ascii(keyVersion).ch(exportability);
        OptionalBlockFields.write(w, header('B', 'T'));
    }

    public static Tr31Attributes read(FieldReader r) {
        r.expect('&', "TR-31 attributes delimiter");
        String usage = r.ascii(2, "key usage");
        char mode = r.ch("mode of use");
        String version = r.ascii(2, "key version number");
        char export = r.ch("exportability");
        List<KeyBlockHeader.OptionalBlock> blocks = OptionalBlockFields.read(r);
        return OptionalBlockFields.validated(() -> new Tr31Attributes(usage, mode, version, export, blocks));
    }
}
