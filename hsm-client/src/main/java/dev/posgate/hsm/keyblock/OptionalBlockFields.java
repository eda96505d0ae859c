package dev.posgate.hsm.keyblock;

import dev.posgate.crypto.KeyBlockHeader;
import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The optional-block tail shared by the key-block ({@code #}, {@link KeyBlockAttributes}) and
 * TR-31 ({@code &}, {@link Tr31Attributes}) attribute fields: a 2-digit count, then each block in
 * key-block header form ({@code id(2A) length(2H) data}).
 */
final class OptionalBlockFields {
    private OptionalBlockFields() {
    }

    /** Writes the count and the optional blocks of {@code header}, in header form. */
    static void write(FieldWriter w, KeyBlockHeader header) {
        w.decimal(header.optionalBlocks().size(), 2);
        w.ascii(header.encode(0).substring(KeyBlockHeader.FIXED_LENGTH));
    }

    /** Reads the count and the optional blocks; a length under 4 is error 15. */
    static List<KeyBlockHeader.OptionalBlock> read(FieldReader r) {
        int n = r.decimal(2, "number of optional blocks");
        List<KeyBlockHeader.OptionalBlock> blocks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = r.ascii(2, "optional block ID");
            int len = r.hexNumber(2, "optional block length", "15");
            if (len < 4) {
                throw new FieldException("15", "optional block length " + len);
            }
            blocks.add(new KeyBlockHeader.OptionalBlock(id, r.ascii(len - 4, "optional block data")));
        }
        return blocks;
    }

    /** The attributes {@code make} builds from fields read; a value it refuses is error 15. */
    static <T> T validated(Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new FieldException("15", e.getMessage());
        }
    }
}
