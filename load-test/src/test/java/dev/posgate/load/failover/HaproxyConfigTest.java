package dev.posgate.load.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failover test runs deploy/haproxy/haproxy.cfg itself, rewritten only where one test machine differs. */
class HaproxyConfigTest {
    private static final List<HaproxyProcess.Backend> NODES = List.of(
            new HaproxyProcess.Backend("gateway-1", 18583, 18080), new HaproxyProcess.Backend("gateway-2", 28583, 28080));

    @Test
    void onlyBindsServersAndRedispatchAreRewritten() throws Exception {
        String deployed = HaproxyProcess.deployedConfig();
        String cfg = HaproxyProcess.config(deployed, 7001, 7002, NODES, true);
        assertTrue(cfg.contains("    bind 127.0.0.1:7001\n    maxconn 4000\n    default_backend posgate\n"), cfg);
        assertTrue(deployed.contains("    maxconn 40000\n"), "the deployed limit, capped for a test process");
        assertTrue(cfg.contains("    bind 127.0.0.1:7002\n"), cfg);
        assertTrue(cfg.contains("    server gateway-1 127.0.0.1:18583 check port 18080\n"
                + "    server gateway-2 127.0.0.1:28583 check port 28080\n"), cfg);
        assertFalse(cfg.contains("gateway-1:8583"), "the compose stack's servers are replaced");
        assertTrue(cfg.contains("    option redispatch\n"));
        for (String kept : List.of("balance leastconn", "option httpchk GET /ready", "timeout client 330s",
                "default-server inter 2s fall 2 rise 2 on-marked-down shutdown-sessions")) {
            assertTrue(cfg.contains(kept), kept);
        }
        assertEquals(deployed.lines().count(), cfg.lines().count(), "line for line, two servers for two");
        assertFalse(HaproxyProcess.config(deployed, 7001, 7002, NODES, false).contains("option redispatch"));
        assertThrows(IllegalStateException.class,
                () -> HaproxyProcess.config(deployed.replace("option redispatch", ""), 7001, 7002, NODES, true),
                "a deploy file without a rewritten line fails instead of running a configuration of the test's own");
    }

    @Test
    void haproxyAcceptsTheRewrittenDeployConfiguration(@TempDir Path dir) throws Exception {
        Optional<Path> haproxy = HaproxyProcess.binary();
        assumeTrue(haproxy.isPresent(), "haproxy is not installed (apt-get install haproxy)");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, HaproxyProcess.config(HaproxyProcess.deployedConfig(), 7001, 7002, NODES, true));
        Process p = new ProcessBuilder(haproxy.get().toString(), "-c", "-f", cfg.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
