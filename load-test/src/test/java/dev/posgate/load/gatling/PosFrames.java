package dev.posgate.load.gatling;

import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request bodies for the simulations. Purchases, sign-on (TMK download) and TMS download waves
 * get their builders here once those gateway flows exist; see docs/load-testing.md.
 */
public final class PosFrames {
    /** protocol.md echo test 0820 (fields 11, 41, 42, 60 with 60.3 = 301), body without LEN. */
    private static final byte[] ECHO = HexFormat.of().parseHex(
            "6000030000" + "603100310301" + "0820" + "0020000000C00010"
            + "000123" + "5445524D30303031" + "383938333130303438393930303031"
            + "0011000000013010");
    /** Field 11 (n6, BCD) follows TPDU 5, header 6, MTI 2 and bitmap 8. */
    private static final int STAN_OFFSET = 21;
    private static final AtomicInteger STAN = new AtomicInteger();

    private PosFrames() {
    }

    /** An echo test with the next STAN (1..999999), so every response can be matched to its request. */
    public static byte[] echo() {
        byte[] body = ECHO.clone();
        int stan = Math.floorMod(STAN.getAndIncrement(), 999_999) + 1;
        for (int i = 2; i >= 0; i--) {
            int twoDigits = stan % 100;
            body[STAN_OFFSET + i] = (byte) ((twoDigits / 10) << 4 | twoDigits % 10);
            stan /= 100;
        }
        return body;
    }
}
