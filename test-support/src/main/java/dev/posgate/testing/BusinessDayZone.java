package dev.posgate.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code posp.timezone} every test gateway runs in: a fixed offset that puts the test's start
 * near local noon. A terminal that has not signed on since local midnight gets 77, so with the
 * production default (Asia/Shanghai) any test that signs on and then transacts failed when its run
 * crossed 16:00 UTC. Twelve hours from midnight outlasts any test run.
 */
public final class BusinessDayZone {
    private BusinessDayZone() {
    }

    /** An offset id such as {@code +05:00}, chosen once per JVM. */
    public static String farFromMidnight() {
        return ZONE;
    }

    /** Today's date in that zone: the gateway's business day while the test runs. */
    public static LocalDate today() {
        return LocalDate.now(ZoneId.of(ZONE));
    }

    /** {@link #today()} as field 13 and the original's date in 61 carry it ({@code MMdd}). */
    public static String todayMmdd() {
        return today().format(MMDD);
    }

    private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd");

    /** The environment variable that sets it for a gateway or CLI run as a process. */
    public static final String ENV = "POSGATE_POSP_TIMEZONE";

    private static final String ZONE = ZoneOffset.ofHours(12 - Instant.now().atOffset(ZoneOffset.UTC).getHour()).getId();
}
