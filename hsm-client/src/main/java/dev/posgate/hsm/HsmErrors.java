package dev.posgate.hsm;

import java.util.Map;

/** payShield error codes used by posgate (docs/hsm-protocol.md, "Error codes"). */
public final class HsmErrors {
    public static final String OK = "00";
    public static final String VERIFICATION_FAILED = "01";
    public static final String SOURCE_KEY_PARITY = "10";
    public static final String DESTINATION_KEY_PARITY = "11";
    public static final String INVALID_INPUT = "15";
    /** The command needs the authorised state (key export/import under a caller's key). */
    public static final String NOT_AUTHORISED = "17";
    public static final String INVALID_PIN_BLOCK = "20";
    public static final String INVALID_PIN_BLOCK_FORMAT = "23";
    public static final String PIN_LENGTH = "24";
    public static final String INVALID_KEY_SCHEME = "26";
    public static final String KEY_LENGTH = "27";
    public static final String INVALID_KEY_TYPE = "28";
    public static final String FUNCTION_NOT_PERMITTED = "29";
    public static final String INTERNAL_ERROR = "41";
    public static final String RSA_KEY_GENERATION = "43";
    public static final String PRIVATE_KEY_ERROR = "49";
    public static final String COMMAND_DISABLED = "68";
    public static final String PUBLIC_KEY_LENGTH = "76";
    public static final String DATA_LENGTH = "80";

    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("00", "no error"),
            Map.entry("01", "verification failure / imported key parity error / block check failed"),
            Map.entry("02", "invalid mode flag"),
            Map.entry("03", "invalid input format flag"),
            Map.entry("04", "invalid key type code / MAC algorithm / output format"),
            Map.entry("05", "invalid key type / key length flag"),
            Map.entry("06", "invalid message length"),
            Map.entry("09", "invalid padding method"),
            Map.entry("10", "source key parity error"),
            Map.entry("11", "destination key parity error or key all zeros"),
            Map.entry("15", "invalid input data"),
            Map.entry("17", "HSM is not authorised / operation prohibited by security settings"),
            Map.entry("20", "PIN block does not contain valid values"),
            Map.entry("23", "invalid PIN block format code"),
            Map.entry("24", "PIN is fewer than 4 or more than the maximum digits"),
            Map.entry("26", "invalid key scheme"),
            Map.entry("27", "incompatible key length"),
            Map.entry("28", "invalid key type"),
            Map.entry("29", "key function not permitted"),
            Map.entry("41", "internal error"),
            Map.entry("43", "RSA key generation failure"),
            Map.entry("49", "private key error"),
            Map.entry("68", "command disabled"),
            Map.entry("76", "public key length error"),
            Map.entry("80", "data length error"),
            Map.entry("--", "malformed reply"));

    private HsmErrors() {
    }

    public static String describe(String code) {
        return TEXT.getOrDefault(code, "unknown error");
    }
}
