package dev.posgate.iso8583;

import java.io.ByteArrayOutputStream;

/** Test helper: hex pieces (whitespace allowed) to bytes, and bytes to uppercase hex. */
public final class TestHex {
    private TestHex() {
    }

    /** Concatenates hex pieces; spaces inside a piece are ignored. */
    public static byte[] bytes(String... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String piece : pieces) {
            String s = piece.replaceAll("\\s+", "");
            if (s.length() % 2 != 0) {
                throw new IllegalArgumentException("odd hex: " + piece);
            }
            for (int i = 0; i < s.length(); i += 2) {
                out.write(Integer.parseInt(s.substring(i, i + 2), 16));
            }
        }
        return out.toByteArray();
    }

    /** ASCII text as hex, for readable vectors. */
    public static String ascii(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(String.format("%02X", (int) c));
        }
        return sb.toString();
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(String.format("%02X", x & 0xFF));
        }
        return sb.toString();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
