package dev.posgate.hostsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host simulator's rule engine, without a socket (docs/posp.md, "Host simulator"). */
class HostRulesTest {

    private static HostRules parse(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return HostRules.from(p);
    }

    @Test
    void theDefaultsApproveUpToTheLimitAndDeclineZeroAndAbove() {
        HostRules r = HostRules.defaults();
        assertEquals("00", r.purchase(1));
        assertEquals("00", r.purchase(HostRules.DEFAULT_LIMIT));
        assertEquals("51", r.purchase(HostRules.DEFAULT_LIMIT + 1));
        assertEquals("13", r.purchase(0));
        assertTrue(r.silent(4_999));
        assertFalse(r.silent(5_000));
        assertNull(r.declineFor("000000", "22"));
        assertFalse(r.issuerScript("6222021234567890123", 100));
        assertEquals(25, r.delayMs("0200", 25), "no rule: the simulator's latency");
        assertEquals(HostRules.defaults(), HostRules.from(new Properties()), "an empty file is the defaults");
    }

    @Test
    void theHighestThresholdCrossedDecidesTheCode() throws Exception {
        HostRules r = parse("decline.above.20000 = 61\ndecline.above.50000 = 05\nlimit = none\n");
        assertEquals("00", r.purchase(20_000), "the threshold itself is approved");
        assertEquals("61", r.purchase(20_001));
        assertEquals("61", r.purchase(50_000));
        assertEquals("05", r.purchase(50_001));
        assertEquals("05", r.purchase(Long.MAX_VALUE / 2), "no limit: 05 stays the highest");
        assertEquals("51", parse("decline.above.20000 = 61\n").purchase(HostRules.DEFAULT_LIMIT + 1), "the default limit stays");
    }

    @Test
    void aProcessingCodeWithItsTypeWinsOverTheProcessingCodeAlone() throws Exception {
        HostRules r = parse("decline.processing.310000 = 57\ndecline.processing.200000/25 = 12\ndecline.processing.200000 = 40\n");
        assertEquals("57", r.declineFor("310000", "01"));
        assertEquals("12", r.declineFor("200000", "25"), "refunds");
        assertEquals("40", r.declineFor("200000", "23"), "voids, cancels, completion voids");
        assertNull(r.declineFor("000000", "22"));
        assertNull(r.declineFor(null, "00"), "no field 3 (0500): no processing rule");
    }

    @Test
    void issuerScriptsGoToEveryApprovalOrToAPanOrAnAmountInTheTemplateConfigured() throws Exception {
        HostRules all = parse("issuer.script = all\nissuer.script.template = 71\n");
        assertTrue(all.issuerScript("6222", 1));
        assertEquals(0x71, all.issuerScript().template());
        HostRules some = parse("issuer.script.pan = 6222021234567890123\nissuer.script.amount = 12345\n");
        assertTrue(some.issuerScript("6222021234567890123", 1));
        assertTrue(some.issuerScript("6222000000000000000", 12_345));
        assertFalse(some.issuerScript("6222000000000000000", 12_346));
        assertEquals(0x72, some.issuerScript().template(), "72 unless told");
        assertThrows(IllegalArgumentException.class, () -> parse("issuer.script.template = 73\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("issuer.script = some\n"));
    }

    @Test
    void delaysArePerRequestMtiThenTheDefaultThenTheSimulatorsLatency() throws Exception {
        HostRules r = parse("delay.0100 = 800\ndelay.0500 = 2000\n");
        assertEquals(800, r.delayMs("0100", 7));
        assertEquals(2000, r.delayMs("0500", 7));
        assertEquals(7, r.delayMs("0200", 7), "no default: the --latency-ms");
        HostRules withDefault = parse("delay.ms = 30\ndelay.0400 = 0\n");
        assertEquals(30, withDefault.delayMs("0200", 7));
        assertEquals(0, withDefault.delayMs("0400", 7), "a message type may be answered at once");
        assertThrows(IllegalArgumentException.class, () -> parse("delay.02 = 5\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("delay.0200 = -5\n"));
    }

    @Test
    void pinsPerCardAndTheDefault() throws Exception {
        HostRules r = parse("pin = 111111\npin.6222021234567890123 = 4321\npin.required = true\n");
        assertTrue(r.pinMatches("6222021234567890123", "4321"));
        assertFalse(r.pinMatches("6222021234567890123", "111111"));
        assertTrue(r.pinMatches("6222000000000000000", "111111"));
        assertTrue(r.pinRequired());
    }

    @Test
    void unknownKeysAndMalformedValuesAreRefusedNotIgnored() {
        assertThrows(IllegalArgumentException.class, () -> parse("declne.above.100 = 51\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("decline.above.100 = 5\n"), "a code is 2 characters");
        assertThrows(IllegalArgumentException.class, () -> parse("decline.above.x = 51\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("decline.processing.31 = 57\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("limit = -1\n"));
    }

    @Test
    void aFileReadsAsTheSameProperties(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("host-rules.properties");
        Files.writeString(file, "# a comment\ndecline.above.1000 = 61\ndelay.0200 = 5\n");
        HostRules r = HostRules.from(HostRules.read(file));
        assertEquals("61", r.purchase(1_001));
        assertEquals(5, r.delayMs("0200", 0));
        assertEquals(Map.of("0200", 5L), r.delays());
    }
}
