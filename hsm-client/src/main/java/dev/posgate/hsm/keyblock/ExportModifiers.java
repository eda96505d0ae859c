package dev.posgate.hsm.keyblock;

import dev.posgate.hsm.command.FieldException;
import dev.posgate.hsm.command.FieldReader;
import dev.posgate.hsm.command.FieldWriter;

/**
 * The optional export groups of A0/A8 (payShield manual pages): {@code '&' 'N'} (modified
 * exportability of the exported block) and {@code '!' version} (TR-31 key block version ID).
 */
final class ExportModifiers {
    private ExportModifiers() {
    }

    static void check(Character exportability, Character version) {
        if (exportability != null && exportability != 'N') {
            throw new IllegalArgumentException("the only modified exportability is N");
        }
        if (version != null && (version < 'A' || version > 'D')) {
            throw new IllegalArgumentException("TR-31 key block version must be A, B, C or D");
        }
    }

    static void write(FieldWriter w, Character exportability, Character version) {
        if (exportability != null) {
            w.ch('&').ch(exportability);
        }
        if (version != null) {
            w.ch('!').ch(version);
        }
    }

    static Character readExportability(FieldReader r) {
        if (!r.optional('&')) {
            return null;
        }
        char c = r.ch("modified exportability");
        if (c != 'N') {
            throw new FieldException("15", "the only modified exportability is N");
        }
        return c;
    }

    static Character readVersion(FieldReader r) {
        if (!r.optional('!')) {
            return null;
        }
        char c = r.ch("key block version ID");
        if (c < 'A' || c > 'D') {
            throw new FieldException("15", "TR-31 key block version must be A, B, C or D");
        }
        return c;
    }
}
