package dev.posgate.gateway.posp.wire;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/** The POSP business day: the calendar date in the acquirer's time zone (posp.timezone). */
public final class BusinessDay {
    private final Clock clock;

    public BusinessDay(ZoneId zone) {
        this.clock = Clock.system(zone);
    }

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    public ZoneId zone() {
        return clock.getZone();
    }
}
