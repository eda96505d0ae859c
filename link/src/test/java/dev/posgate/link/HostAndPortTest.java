package dev.posgate.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostAndPortTest {
    @Test
    void parsesNamesIpv4AndBracketedIpv6() {
        assertEquals(new HostAndPort("hsm.local", 1500), HostAndPort.parse("hsm.local:1500"));
        assertEquals(new HostAndPort("10.0.0.5", 1500), HostAndPort.parse(" 10.0.0.5:1500 "));
        HostAndPort v6 = HostAndPort.parse("[::1]:1500");
        assertEquals(new HostAndPort("::1", 1500), v6);
        assertEquals("[::1]:1500", v6.toString());
        assertEquals("[fd00::2]:9", HostAndPort.parse("[fd00::2]:9").toString());
    }

    @Test
    void refusesWhatIsAmbiguousOrIncomplete() {
        for (String bad : new String[] {"::1:1500", "host", "host:", ":1500", "[::1]", "[::1]1500", "host:0", "host:x"}) {
            assertThrows(IllegalArgumentException.class, () -> HostAndPort.parse(bad), bad);
        }
    }
}
