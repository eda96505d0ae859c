package dev.posgate.gateway.platform.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AdminTokenPolicyTest {
    @Test
    void placeholdersShortAndLowEntropyTokensAreRefused() {
        for (String t : new String[] {"change-me-in-production", "CHANGEME-0123456789abcdef", "replace-me-with-a-real-token",
                "short", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababababab"}) {
            assertThrows(IllegalArgumentException.class, () -> AdminTokenPolicy.check(t), t);
        }
    }

    @Test
    void randomTokensPass() {
        String uuid = UUID.randomUUID().toString();
        assertEquals(uuid, AdminTokenPolicy.check(uuid));
        String hex = "9f3c1a7b2e4d8c6f0a1b2c3d4e5f60718293a4b5c6d7e8f9";
        assertEquals(hex, AdminTokenPolicy.check(hex));
    }

    @Test
    void theComposeStackCarriesNoLiteralToken() throws Exception {
        Path compose = Path.of("..", "deploy", "compose", "compose.yml");
        for (String line : Files.readAllLines(compose)) {
            String l = line.trim();
            if (l.startsWith("POSGATE_ADMIN_TOKEN:")) {
                String value = l.substring("POSGATE_ADMIN_TOKEN:".length()).trim();
                assertTrue(value.startsWith("${POSGATE_ADMIN_TOKEN:?"), "compose.yml sets a literal admin token: " + value);
            }
        }
    }
}
