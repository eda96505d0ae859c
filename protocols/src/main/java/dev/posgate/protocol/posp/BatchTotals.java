package dev.posgate.protocol.posp;

/**
 * Settlement totals of one batch as field 48 of the 0500/0510 carries them (docs/posp.md): debit
 * count n3, debit amount n12, credit count n3, credit amount n12 — 30 digits — followed by one
 * digit: {@code 0} in the terminal's request, {@code 1} in balance / {@code 2} out of balance in
 * the answer. Debits are approved purchases, credits approved voids.
 */
public record BatchTotals(int debitCount, long debitAmount, int creditCount, long creditAmount) {
    public static final char REQUEST = '0';
    public static final char IN_BALANCE = '1';
    public static final char OUT_OF_BALANCE = '2';

    /** The 30 digits of the totals. */
    public String digits() {
        return String.format("%03d%012d%03d%012d", debitCount % 1000, debitAmount, creditCount % 1000, creditAmount);
    }

    /** Totals followed by a flag digit: field 48. */
    public String field48(char flag) {
        return digits() + flag;
    }

    /** Parses the first 30 digits of field 48. */
    public static BatchTotals parse(String field48) {
        if (field48 == null || field48.length() < 30 || !field48.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("field 48 needs at least 30 digits");
        }
        return new BatchTotals(Integer.parseInt(field48.substring(0, 3)), Long.parseLong(field48.substring(3, 15)),
                Integer.parseInt(field48.substring(15, 18)), Long.parseLong(field48.substring(18, 30)));
    }

    /** The flag digit of an answer's field 48, or 0 when absent. */
    public static char flagOf(String field48) {
        return field48 != null && field48.length() > 30 ? field48.charAt(30) : 0;
    }
}
