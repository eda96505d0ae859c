package dev.posgate.protocol.posp;

import java.util.ArrayList;
import java.util.List;

/**
 * Field 48 of the batch upload (0320, 60.1 {@code 00}) that follows an out-of-balance settlement
 * (docs/posp.md, "Batch upload"), both sides. A detail message (60.3 {@code 201}) carries up to
 * {@link #MAX_ITEMS} transactions: count n2, then per transaction its card class n2 ({@code 00}
 * a domestic UnionPay card, {@code 01} a foreign card), its STAN n6, its PAN n20 (right-aligned,
 * {@code 0}-filled in front; the gateway keeps only the masked form) and its amount n12: the layout
 * the published Newland terminal application sends (docs/posp.md, "Batch upload"). The end-of-upload message (60.3 {@code 202}) carries the number of transactions
 * uploaded in all, n4.
 */
public final class BatchUpload {
    /** Transactions per detail message. */
    public static final int MAX_ITEMS = 8;
    private static final int ITEM = 2 + 6 + 20 + 12;

    /** Card class: a domestic (UnionPay) card. */
    public static final String DOMESTIC_CARD = "00";
    /** Card class: a foreign card. */
    public static final String FOREIGN_CARD = "01";

    /** One uploaded transaction: its card class ({@link #DOMESTIC_CARD} or {@link #FOREIGN_CARD}), STAN, PAN and amount. */
    public record Item(String cardClass, String stan, String pan, long amount) {
        public Item {
            if (cardClass.length() != 2 || stan.length() != 6 || pan.length() > 20 || amount < 0) {
                throw new IllegalArgumentException("batch upload item out of format");
            }
        }
    }

    private BatchUpload() {}

    /** Field 48 of a detail message. */
    public static String detail(List<Item> items) {
        if (items.isEmpty() || items.size() > MAX_ITEMS) throw new IllegalArgumentException("1 to " + MAX_ITEMS + " items");
        StringBuilder b = new StringBuilder(String.format("%02d", items.size()));
        for (Item i : items) {
            b.append(i.cardClass()).append(i.stan()).append("0".repeat(20 - i.pan().length())).append(i.pan())
                    .append(String.format("%012d", i.amount()));
        }
        return b.toString();
    }

    /** Parses a detail message's field 48; the PAN without its padding (a PAN is 13-19 digits). */
    public static List<Item> parseDetail(String field48) {
        if (field48 == null || field48.length() < 2 || !field48.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("field 48 of a batch upload must be digits");
        }
        int n = Integer.parseInt(field48.substring(0, 2));
        if (n < 1 || n > MAX_ITEMS || field48.length() != 2 + n * ITEM) {
            throw new IllegalArgumentException("field 48 of a batch upload: count and length disagree");
        }
        List<Item> items = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int o = 2 + k * ITEM;
            String pan = field48.substring(o + 8, o + 28);
            items.add(new Item(field48.substring(o, o + 2), field48.substring(o + 2, o + 8), unpad(pan),
                    Long.parseLong(field48.substring(o + 28, o + 40))));
        }
        return items;
    }

    /** Field 48 of the end-of-upload message. */
    public static String end(int total) {
        return String.format("%04d", total);
    }

    /** The total an end-of-upload message declares. */
    public static int parseEnd(String field48) {
        if (field48 == null || field48.length() != 4 || !field48.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("field 48 of an end of upload is n4");
        }
        return Integer.parseInt(field48);
    }

    /** The PAN without the zeros in front (a PAN does not begin with 0: ISO/IEC 7812 MII 0 is not issued). */
    private static String unpad(String pan) {
        int start = 0;
        while (start < pan.length() - 1 && pan.charAt(start) == '0') start++;
        return pan.substring(start);
    }
}
