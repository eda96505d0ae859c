package dev.posgate.gateway.posp;

import dev.posgate.iso8583.pos.PosMessage;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Fields the POSP sets on its own responses: local time and date, acquirer id, reference number. */
final class PospFields {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMdd");

    private PospFields() {}

    /** 12, 13 (business time zone), 32, and 37 when absent. */
    static void stamp(PosMessage reply, PospSettings settings) {
        ZonedDateTime now = ZonedDateTime.now(settings.businessDay().zone());
        reply.set(12, now.format(TIME)).set(13, now.format(DATE)).set(32, settings.acquirerId());
        if (!reply.has(37)) reply.set(37, referenceNumber());
    }

    /** A 12-digit retrieval reference number: unique enough for one node's sign-ons. */
    static String referenceNumber() {
        return String.format("%012d", ThreadLocalRandom.current().nextLong(1_000_000_000_000L));
    }
}
