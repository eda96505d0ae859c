package dev.posgate.gateway.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalWindowsTest {
    private static final long WINDOW = 60_000_000_000L;
    private final RefusalWindows w = new RefusalWindows(WINDOW, 3);

    private static RefusalWindows.Kind kind(String subject) {
        return new RefusalWindows.Kind("terminal:" + subject, "pos.sign_on", subject, "97", "unknown TID");
    }

    @Test
    void theFirstOfAKindIsWrittenTheRestCountedIntoOneSummaryWhenTheWindowCloses() {
        assertEquals(kind("A"), w.admit(kind("A"), new JsonObject().put("reason", "unknown TID"), 0));
        for (int i = 1; i <= 49; i++) assertNull(w.admit(kind("A"), null, i));
        assertEquals(kind("B"), w.admit(kind("B"), null, 10), "another subject is another kind");
        assertEquals(List.of(), w.closeDue(WINDOW - 1));
        List<RefusalWindows.Summary> closed = w.closeDue(WINDOW + 10);
        assertEquals(1, closed.size(), "B had nothing to summarise");
        assertEquals(49, closed.get(0).suppressed());
        assertEquals("unknown TID", closed.get(0).firstDetail().getString("reason"));
        assertEquals(0, w.openWindows());
        assertEquals(kind("A"), w.admit(kind("A"), null, WINDOW + 20), "a new window writes its first refusal again");
    }

    @Test
    void beyondTheMaximumRefusalsAreCountedPerActionAndResultOnly() {
        for (int i = 0; i < 3; i++) assertEquals(kind("S" + i), w.admit(kind("S" + i), null, i));
        assertEquals(RefusalWindows.overflow(kind("S3")), w.admit(kind("S3"), null, 3), "the first overflow refusal is written, under *");
        for (int i = 4; i < 10_000; i++) assertNull(w.admit(kind("S" + i), null, i));
        assertEquals(4, w.openWindows(), "memory bounded whatever the strangers choose");
        List<RefusalWindows.Summary> closed = w.closeAll();
        assertEquals(1, closed.size());
        assertEquals(RefusalWindows.OVERFLOW, closed.get(0).kind().subject());
        assertEquals(RefusalWindows.OVERFLOW, closed.get(0).kind().actor());
        assertEquals(9_996, closed.get(0).suppressed());
    }
}
