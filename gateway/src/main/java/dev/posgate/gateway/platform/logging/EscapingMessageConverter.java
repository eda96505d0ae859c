package dev.posgate.gateway.platform.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %safeMsg}: the log message with control characters escaped, so that nothing a terminal
 * sends (a TID or serial with CR/LF, a NUL) can start a forged log line or corrupt the stream.
 * One place for every logger: the escaping does not depend on each call site remembering it.
 * Stack traces are written by the pattern's throwable converter, unaffected.
 */
public final class EscapingMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return escape(super.convert(event));
    }

    /** {@code s} with CR, LF, TAB as {@code \r \n \t} and other control or line-separator characters as {@code \\uXXXX}. */
    public static String escape(String s) {
        if (s == null) return null;
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) i++;
        if (i == s.length()) return s; // the common case: nothing to copy
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                b.append(c);
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
