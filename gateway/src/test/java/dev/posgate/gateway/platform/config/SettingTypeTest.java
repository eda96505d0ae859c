package dev.posgate.gateway.platform.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each setting type accepts its values and refuses the others with a message naming the key. */
class SettingTypeTest {

    private static String refusal(Setting setting, String value) {
        return assertThrows(IllegalArgumentException.class, () -> setting.check(value), setting.key() + "=" + value).getMessage();
    }

    @Test
    void anElevenDigitAcquirerIdIsDigitsNotAnInteger() {
        GatewayConfig c = GatewayConfig.resolve(new Properties(), Map.of("POSGATE_POSP_ACQUIRER_ID", "12345678901"));
        assertEquals("12345678901", c.string(Setting.POSP_ACQUIRER_ID));
        assertDoesNotThrow(() -> Setting.POSP_ACQUIRER_ID.check("00048020000"));
        assertEquals("posp.acquirer.id must be digits only (0-9), got '4802A'", refusal(Setting.POSP_ACQUIRER_ID, "4802A"));
        assertEquals("posp.acquirer.id must be digits only (0-9), got ''", refusal(Setting.POSP_ACQUIRER_ID, ""));
    }

    @Test
    void intIsAWholeNumberFromZero() {
        assertDoesNotThrow(() -> Setting.MAX_INFLIGHT.check("0"));
        assertEquals("session.max.inflight must be a whole number from 0 to 2147483647, got '-1'", refusal(Setting.MAX_INFLIGHT, "-1"));
        assertEquals("session.max.inflight must be a whole number from 0 to 2147483647, got 'eight'", refusal(Setting.MAX_INFLIGHT, "eight"));
        assertEquals("session.max.inflight must be a whole number from 0 to 2147483647, got '99999999999'",
                refusal(Setting.MAX_INFLIGHT, "99999999999"));
    }

    @Test
    void portIsZeroTo65535() {
        assertDoesNotThrow(() -> Setting.LISTENER_PORT.check("65535"));
        assertEquals("listener.port must be a port from 0 to 65535, got '65536'", refusal(Setting.LISTENER_PORT, "65536"));
        assertEquals("listener.port must be a port from 0 to 65535, got 'eighty'", refusal(Setting.LISTENER_PORT, "eighty"));
    }

    @Test
    void durationIsInTheUnitItsKeyNames() {
        assertDoesNotThrow(() -> Setting.HSM_TIMEOUT.check("2500"));
        assertEquals("hsm.timeout.ms must be a duration in milliseconds (a whole number from 0 to 2147483647), got '2s'",
                refusal(Setting.HSM_TIMEOUT, "2s"));
        assertEquals("session.idle.timeout.seconds must be a duration in seconds (a whole number from 0 to 2147483647), got 'PT5M'",
                refusal(Setting.IDLE_TIMEOUT, "PT5M"));
        assertEquals("hsm.sim.authorised.minutes must be a duration in minutes (a whole number from 0 to 2147483647), got '-5'",
                refusal(Setting.HSM_SIM_AUTHORISED_MINUTES, "-5"));
    }

    @Test
    void enumIsOneOfItsWordsInAnyCase() {
        assertDoesNotThrow(() -> Setting.LISTENER_TLS_CLIENT_AUTH.check("REQUIRED"));
        assertDoesNotThrow(() -> Setting.TMS_KEY_MESSAGE.check("tmk"));
        assertEquals("listener.tls.client.auth must be one of none, request, required, got 'always'",
                refusal(Setting.LISTENER_TLS_CLIENT_AUTH, "always"));
    }

    @Test
    void hostListIsHostPortEntriesOrEmpty() {
        assertDoesNotThrow(() -> Setting.HSM_HOSTS.check(""));
        assertDoesNotThrow(() -> Setting.HSM_HOSTS.check("hsm1:1500, 10.0.0.2:1500,[fd00::7]:1500"));
        String expected = "hsm.hosts must be a comma-separated list of host:port (IPv6 as [addr]:port), or empty, got ";
        assertEquals(expected + "'hsm1'", refusal(Setting.HSM_HOSTS, "hsm1"));
        assertEquals(expected + "'hsm1:1500,hsm2:0'", refusal(Setting.HSM_HOSTS, "hsm1:1500,hsm2:0"));
        assertEquals(expected + "'fd00::7:1500'", refusal(Setting.HSM_HOSTS, "fd00::7:1500"));
    }

    @Test
    void hostPortIsOneAddressOrEmpty() {
        assertDoesNotThrow(() -> Setting.UPSTREAM_HOST.check(""));
        assertDoesNotThrow(() -> Setting.UPSTREAM_HOST.check("host.example:9000"));
        assertEquals("upstream.host must be host:port (IPv6 as [addr]:port), or empty, got 'a:1,b:2'",
                refusal(Setting.UPSTREAM_HOST, "a:1,b:2"));
    }

    @Test
    void booleanIsTrueOrFalse() {
        assertEquals("metrics.enabled must be true or false, got 'yes'", refusal(Setting.METRICS_ENABLED, "yes"));
    }

    @Test
    void pathIsAnythingAFileSystemTakes() {
        assertDoesNotThrow(() -> Setting.DATA_DIR.check("/var/lib/posgate"));
        assertEquals("data.dir must be a file system path, got 'a\0b'", refusal(Setting.DATA_DIR, "a\0b"));
    }

    @Test
    void stringTakesAnything() {
        assertDoesNotThrow(() -> Setting.ADMIN_TOKEN.check(""));
        assertDoesNotThrow(() -> Setting.TMS_REPOSITORIES.check("ACME=filesystem,*=postgresql"));
    }

    @Test
    void everyDefaultIsOfItsTypeAndEveryDurationNamesItsUnit() {
        Set<SettingType> used = EnumSet.noneOf(SettingType.class);
        for (Setting s : Setting.values()) {
            assertDoesNotThrow(() -> s.check(s.defaultValue()), s.key());
            if (s.type() == SettingType.DURATION) assertDoesNotThrow(() -> SettingType.unit(s.key()), s.key());
            used.add(s.type());
        }
        assertEquals(EnumSet.allOf(SettingType.class), used, "every type is used by some setting");
    }

    @Test
    void startUpNamesTheKeyOfABadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.resolve(new Properties(), Map.of("POSGATE_UPSTREAM_TIMEOUT_MS", "soon")));
        assertTrue(e.getMessage().startsWith("upstream.timeout.ms must be a duration in milliseconds"), e.getMessage());
    }
}
