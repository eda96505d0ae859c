package dev.posgate.gateway.platform.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.support.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailureLogTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aRepeatedFailureIsLoggedOncePerIntervalWithWhatWasLeftOut() {
        try (LogCapture logs = LogCapture.attach()) {
            FailureLog f = new FailureLog(LoggerFactory.getLogger("failure-log-test"), 10 * SECOND);
            IllegalStateException down = new IllegalStateException("database down");
            for (int i = 0; i < 100; i++) f.failed("s", "purchase", down, i * SECOND / 100);
            f.failed("s", "sign_on_003", down, 2 * SECOND); // another kind: logged at once
            f.failed("s", "purchase", down, 12 * SECOND);
            List<String> lines = logs.lines().stream().filter(m -> m.startsWith("failure-log-test ")).toList();
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("s: purchase handler failed"), lines.get(0));
            assertTrue(lines.get(1).contains("s: sign_on_003 handler failed"), lines.get(1));
            assertTrue(lines.get(2).endsWith("(99 more like it not logged in the last 12 s)"), lines.get(2));
        }
    }
}
