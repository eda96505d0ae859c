package dev.posgate.gateway.posp.wire;

import dev.posgate.iso8583.pos.PosMessage;

/**
 * Field 46 (terminal hardware/software information, LLLVAR up to 999 bytes of GBK text) as kept
 * with the terminal: decoded for display and cut to {@link #MAX_CHARS} characters, so a terminal
 * cannot grow its row (the whole field stays in the sign-on's audit row).
 */
public final class TerminalInfo {
    /** The column's bound (V10, terminal.terminal_info varchar(256)). */
    public static final int MAX_CHARS = 256;

    private TerminalInfo() {
    }

    /** The bounded text of field 46, or null when the request does not carry it. */
    static String of(PosMessage request) {
        if (!request.has(46)) return null;
        String text = request.gbk(46);
        int chars = text.codePointCount(0, text.length());
        return chars <= MAX_CHARS ? text : text.substring(0, text.offsetByCodePoints(0, MAX_CHARS));
    }
}
