package dev.posgate.iso8583.pos;

/**
 * Field 53, security related control information (n16), split as protocol.md 2.1 reads it: 53.1 PIN block
 * format ({@code 2} ISO format 0 with the PAN, {@code 1} without it, {@code 0} no PIN), 53.2 encryption
 * algorithm ({@code 0} single DES, {@code 6} double-length TDES, another value for the national algorithm:
 * the corpus has {@code 4} from a terminal whose 63 starts with {@code SM}), 53.3 track encryption
 * ({@code 1}: fields 35/36 are encrypted under the TDK), then 13 reserved digits (zeros), kept as received.
 */
public record Field53(int pinFormat, int algorithm, int trackEncryption, String reserved) {
    private static final int LENGTH = 16;

    public Field53 {
        if (pinFormat < 0 || pinFormat > 9 || algorithm < 0 || algorithm > 9 || trackEncryption < 0
                || trackEncryption > 9 || reserved == null || reserved.length() != LENGTH - 3
                || !reserved.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new PosFormatException(PosFormatException.Reason.BAD_VALUE, 53,
                    "53 is 16 digits: " + pinFormat + algorithm + trackEncryption + reserved);
        }
    }

    /** Splits the 16 digits of field 53. */
    public static Field53 parse(String digits) {
        if (digits == null || digits.length() != LENGTH || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new PosFormatException(PosFormatException.Reason.BAD_VALUE, 53, "53 is 16 digits: " + digits);
        }
        return new Field53(digits.charAt(0) - '0', digits.charAt(1) - '0', digits.charAt(2) - '0',
                digits.substring(3));
    }

    /** 53.1 = 2: the PIN block is ISO format 0, combined with the PAN. */
    public boolean pinWithPan() {
        return pinFormat == 2;
    }

    /** 53.3 = 1: tracks 2 and 3 are encrypted under the TDK. */
    public boolean tracksEncrypted() {
        return trackEncryption == 1;
    }

    /** The 16 digits. */
    public String format() {
        return "" + pinFormat + algorithm + trackEncryption + reserved;
    }
}
