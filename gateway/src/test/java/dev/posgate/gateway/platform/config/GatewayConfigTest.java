package dev.posgate.gateway.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    @Test
    void defaultsMatchTheProtocol() {
        GatewayConfig c = GatewayConfig.defaults();
        assertEquals(8583, c.integer(Setting.LISTENER_PORT));
        assertEquals(8192, c.integer(Setting.FRAME_MAX_ISO));
        assertEquals(65535, c.integer(Setting.FRAME_MAX_TMS));
        assertEquals(300, c.integer(Setting.IDLE_TIMEOUT));
        assertEquals("", c.string(Setting.DB_URL));
    }

    @Test
    void environmentOverridesFileOverridesDefault() {
        Properties file = new Properties();
        file.setProperty("listener.port", "9000");
        file.setProperty("session.idle.timeout.seconds", "60");
        GatewayConfig c = GatewayConfig.resolve(file, Map.of("POSGATE_LISTENER_PORT", "9100"));
        assertEquals(9100, c.integer(Setting.LISTENER_PORT));
        assertEquals(60, c.integer(Setting.IDLE_TIMEOUT));
    }

    @Test
    void unknownKeyInFileIsRefused() {
        Properties file = new Properties();
        file.setProperty("listener.prot", "9000");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.resolve(file, Map.of()));
        assertTrue(e.getMessage().contains("listener.prot"));
    }

    @Test
    void malformedValuesAreRefusedWithTheKeyNamed() {
        assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.resolve(new Properties(), Map.of("POSGATE_LISTENER_PORT", "eighty")));
        assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.resolve(new Properties(), Map.of("POSGATE_FRAME_MAX_ISO8583", "70000")));
        assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.resolve(new Properties(), Map.of("POSGATE_METRICS_ENABLED", "yes")));
    }

    @Test
    void envNameIsDerivedFromTheKey() {
        assertEquals("POSGATE_SESSION_IDLE_TIMEOUT_SECONDS", Setting.IDLE_TIMEOUT.envName());
    }

    /** docs/configuration.md must name every key with its default and type, so operators can trust it. */
    @Test
    void everySettingIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (Setting s : Setting.values()) {
            String dflt = s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
            String type = s.type() == SettingType.ENUM ? "ENUM (" + String.join(", ", s.allowed()) + ")" : s.type().name();
            String row = "| `" + s.key() + "` | `" + s.envName() + "` | " + dflt + " | " + type + " |";
            assertTrue(doc.contains(row), "docs/configuration.md lacks the row for " + s.key() + ": " + row);
        }
    }
}
