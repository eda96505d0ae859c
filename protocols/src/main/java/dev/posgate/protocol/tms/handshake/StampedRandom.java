package dev.posgate.protocol.tms.handshake;

import dev.posgate.iso8583.tlv.TlvFormatException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * T_DATA and S_DATA (protocol.md DF10/DF11): a 4-byte random and the sender's local date-time
 * {@code YYMMDDhhmmss} in BCD, 10 bytes. The date-time is wall-clock local time, as terminals
 * keep no time zone; both sides compare it with their own local clock.
 */
public record StampedRandom(byte[] random, LocalDateTime time) {
    public static final int LENGTH = 10;
    private static final DateTimeFormatter BCD = DateTimeFormatter.ofPattern("uuMMddHHmmss");

    public StampedRandom {
        if (random.length != 4) throw new IllegalArgumentException("random must be 4 bytes");
        random = random.clone();
        time = time.withNano(0);
    }

    @Override
    public byte[] random() {
        return random.clone();
    }

    /** The 10 wire bytes. */
    public byte[] encode() {
        byte[] out = Arrays.copyOf(random, LENGTH);
        byte[] bcd = HexFormat.of().parseHex(BCD.format(time));
        System.arraycopy(bcd, 0, out, 4, 6);
        return out;
    }

    /** Parses the 10 wire bytes of {@code tag}; a wrong length or a date that is not BCD is {@code BAD_VALUE}. */
    public static StampedRandom parse(int tag, byte[] b) {
        if (b.length != LENGTH) {
            throw new TlvFormatException(TlvFormatException.Reason.BAD_VALUE, tag, "expected 10 bytes, got " + b.length);
        }
        String digits = HexFormat.of().formatHex(b, 4, 10);
        try {
            return new StampedRandom(Arrays.copyOf(b, 4), LocalDateTime.parse(digits, BCD));
        } catch (DateTimeParseException e) {
            throw new TlvFormatException(TlvFormatException.Reason.BAD_VALUE, tag, "date-time is not YYMMDDhhmmss BCD");
        }
    }

    /** The random as a map key (hex). */
    public String randomKey() {
        return HexFormat.of().formatHex(random);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StampedRandom s && Arrays.equals(random, s.random) && time.equals(s.time);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(random) + time.hashCode();
    }

    @Override
    public String toString() {
        return "StampedRandom[" + time + "]";
    }
}
