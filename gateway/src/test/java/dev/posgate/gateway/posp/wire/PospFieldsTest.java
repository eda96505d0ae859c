package dev.posgate.gateway.posp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Fields 12 and 13 written digit by digit agree with a DateTimeFormatter. */
class PospFieldsTest {
    @Test
    void timeAndDateDigitsMatchTheFormatter() {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HHmmss");
        DateTimeFormatter date = DateTimeFormatter.ofPattern("MMdd");
        LocalDateTime t = LocalDateTime.of(2026, 1, 2, 0, 0, 0);
        for (int i = 0; i < 400; i++, t = t.plusHours(23).plusMinutes(59).plusSeconds(7)) {
            assertEquals(t.format(time), PospFields.twoDigits(t.getHour(), t.getMinute(), t.getSecond()), t.toString());
            assertEquals(t.format(date), PospFields.twoDigits(t.getMonthValue(), t.getDayOfMonth()), t.toString());
        }
    }
}
