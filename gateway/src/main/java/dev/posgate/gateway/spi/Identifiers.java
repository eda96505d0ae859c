package dev.posgate.gateway.spi;

import dev.posgate.iso8583.pos.PosMessage;

/**
 * Character sets of the identifiers terminals send, checked at the edge before any handler, query
 * or log line sees them (issue 13: a NUL in a TID reached PostgreSQL and was answered 96, a CR/LF
 * forged log lines). TID (field 41, ans8) and MID (field 42, ans15) are printable ASCII. The TMS/KMS
 * identifiers (vendor, model, serials, package names and versions) are checked where their tags are
 * read ({@code Texts.ans}).
 */
public final class Identifiers {
    private static final int[] POS_FIELDS = {41, 42};

    private Identifiers() {}

    /** The first identifier field of {@code m} that is present and not printable ASCII; 0 when there is none. */
    public static int badPosField(PosMessage m) {
        for (int f : POS_FIELDS) {
            if (m.has(f) && !printable(m.field(f))) return f;
        }
        return 0;
    }

    /** Whether {@code s} is non-empty and only printable ASCII (0x20..0x7E). */
    public static boolean printable(String s) {
        if (s == null || s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) return false;
        }
        return true;
    }
}
