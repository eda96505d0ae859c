package dev.posgate.hsm.command;

import java.nio.charset.StandardCharsets;

/** Reply framing: reply code = command code with the second character advanced by one. */
public final class Replies {
    private Replies() {
    }

    /**
     * The reply code of {@code command} ({@code A0}→{@code A1}, {@code M8}→{@code M9},
     * {@code ZY}→{@code ZZ}); {@code ZZ} for anything that has none.
     */
    public static String replyCode(String command) {
        if (command == null || command.length() != 2) {
            return "ZZ";
        }
        char a = command.charAt(0);
        char b = command.charAt(1);
        boolean ok = (a >= 'A' && a <= 'Z' || a >= '0' && a <= '9')
                && (b >= 'A' && b < 'Z' || b >= '0' && b < '9');
        return ok ? "" + a + (char) (b + 1) : "ZZ";
    }

    /** A reply carrying only {@code errorCode}. */
    public static byte[] error(String replyCode, String errorCode) {
        return (replyCode + errorCode).getBytes(StandardCharsets.US_ASCII);
    }

    /** A successful reply: reply code, {@code 00}, fields. */
    public static byte[] ok(String replyCode, HsmReply reply) {
        return warned(replyCode, "00", reply);
    }

    /**
     * A reply whose error code is a warning (payShield's "advice only" codes, e.g. A6 {@code 01}):
     * reply code, {@code warning}, and the fields of the result all the same.
     */
    public static byte[] warned(String replyCode, String warning, HsmReply reply) {
        FieldWriter w = new FieldWriter(128);
        w.ascii(replyCode).ascii(warning);
        reply.writeFields(w);
        return w.toBytes();
    }

    /** The error code of a reply to {@code command}, or null if the reply is not one. */
    public static String errorCode(String command, byte[] reply) {
        if (reply == null || reply.length < 4) {
            return null;
        }
        String rc = new String(reply, 0, 2, StandardCharsets.US_ASCII);
        if (!rc.equals(replyCode(command))) {
            return null;
        }
        char e1 = (char) reply[2];
        char e2 = (char) reply[3];
        if (!Character.isLetterOrDigit(e1) || !Character.isLetterOrDigit(e2) || e1 > 0x7F || e2 > 0x7F) {
            return null;
        }
        return "" + e1 + e2;
    }
}
