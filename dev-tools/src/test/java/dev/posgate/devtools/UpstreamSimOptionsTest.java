package dev.posgate.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.hostsim.HostRules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code posgate upstream-sim}'s rule options: the rules file's keys, then the options', which win. */
class UpstreamSimOptionsTest {

    @Test
    void optionsOverrideTheRulesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.properties");
        Files.writeString(file, "decline.above.1000 = 61\ndelay.0200 = 5\nissuer.script = all\npin = 111111\n");
        UpstreamSimCommand cmd = new UpstreamSimCommand();
        new CommandLine(cmd).parseArgs("--hsm", "127.0.0.1:1", "--zpk", "U0", "--zak", "U0", "--rules", file.toString(),
                "--decline-above", "1000=05", "--decline-processing", "310000=57", "--decline-processing", "200000/25=12",
                "--delay", "0100=800", "--issuer-script-template", "71", "--limit", "none", "--pin", "654321");
        HostRules r = HostRules.from(cmd.rules());
        assertEquals("05", r.amountDeclines().get(1000L), "the option wins over the file");
        assertNull(r.amountDeclines().get(HostRules.DEFAULT_LIMIT), "--limit none");
        assertEquals("57", r.processingDeclines().get("310000"));
        assertEquals("12", r.processingDeclines().get("200000/25"));
        assertEquals(5L, r.delays().get("0200"));
        assertEquals(800L, r.delays().get("0100"));
        assertTrue(r.issuerScript().all());
        assertEquals(0x71, r.issuerScript().template());
        assertEquals("654321", r.defaultPin());
    }

    @Test
    void withoutRulesTheDefaults() throws Exception {
        UpstreamSimCommand cmd = new UpstreamSimCommand();
        new CommandLine(cmd).parseArgs("--hsm", "127.0.0.1:1", "--zpk", "U0", "--zak", "U0");
        assertEquals(HostRules.defaults(), HostRules.from(cmd.rules()));
    }
}
