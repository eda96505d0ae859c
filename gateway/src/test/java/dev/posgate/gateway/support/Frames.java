package dev.posgate.gateway.support;

import java.util.HexFormat;

/** Frames written by hand in hex, so tests state the wire bytes of protocol.md literally. */
public final class Frames {
    private Frames() {}

    /** Hex with spaces and comments removed: "60 0003 0000 # TPDU" → bytes. */
    public static byte[] hex(String annotated) {
        StringBuilder sb = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int hash = line.indexOf('#');
            sb.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s", ""));
        }
        return HexFormat.of().parseHex(sb.toString());
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /**
     * An echo test 0820 (60.3 = 301) exactly as protocol.md section 2 lays it out:
     * TPDU 60 0003 0000, header 60 31 00 31 03 01, fields 11, 41, 42, 60.
     */
    public static byte[] echoRequest(String stan6) {
        return hex("""
                60 0003 0000                      # TPDU: id 60, destination 0003, source 0000
                60 31 00 31 03 01                 # header: app 60, version 31, status 0, requirement 0, sub-version 310301
                08 20                             # MTI 0820
                00 20 00 00 00 C0 00 10           # bitmap: fields 11, 41, 42, 60
                """ + stan6 + """
                                                  # 11 STAN n6 BCD
                54 45 52 4D 30 30 30 31           # 41 terminal id "TERM0001"
                38 39 38 33 31 30 30 34 38 39 39 30 30 30 31   # 42 merchant id "898310048990001"
                00 11 00 00 00 01 30 10           # 60 LLLVAR n 11 digits: 60.1 00, 60.2 000001, 60.3 301, pad nibble 0
                """);
    }
}
