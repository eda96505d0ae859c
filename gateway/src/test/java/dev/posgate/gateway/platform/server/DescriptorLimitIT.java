package dev.posgate.gateway.platform.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.Frames;
import dev.posgate.gateway.support.GatewayProcess;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestPostgres;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: connections.max (20,000 by default) could exceed the process's descriptor limit with no
 * warning; at the limit, accept and the HSM/database reconnects fail with "too many open files".
 */
class DescriptorLimitIT {

    @Test
    void capsAboveTheLimitAreLoweredToFit() {
        assertEquals(20_000, DescriptorBudget.fit(20_000, 65_536, 400));
        assertEquals(624, DescriptorBudget.fit(20_000, 1024, 400));
        assertEquals(500, DescriptorBudget.fit(500, 1024, 400), "caps that fit are kept");
        assertThrows(IllegalStateException.class, () -> DescriptorBudget.fit(20_000, 410, 400));
    }

    /**
     * The gateway process run under {@code prlimit --nofile=700}: it says so at start-up, lowers the
     * cap, and refuses the surplus at accept while everybody within the cap is served.
     */
    @Test
    void aGatewayUnderASmallLimitRefusesTheSurplusAtAcceptAndKeepsServing() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "fd-limit-");
        Map<Setting, Object> s = new HashMap<>();
        s.put(Setting.DATA_DIR, dir.resolve("data"));
        s.put(Setting.DB_URL, TestPostgres.newDatabaseUrl());
        s.put(Setting.DB_POOL_SIZE, 4);
        s.put(Setting.HSM_CONNECTIONS, 1);
        s.put(Setting.HSM_TIMEOUT, 8000);
        s.put(Setting.KMS_RSA_BITS, 1024);
        s.put(Setting.LISTENER_HOST, "127.0.0.1");
        int port = GatewayProcess.freePort();
        s.put(Setting.LISTENER_PORT, port);
        s.put(Setting.LISTENER_INSTANCES, 1);
        s.put(Setting.ADMIN_PORT, GatewayProcess.freePort());
        s.put(Setting.MAX_CONNECTIONS_PER_IP, 20_000);
        int limit = 700;
        int cap = limit - (DescriptorBudget.JVM_RESERVE + DescriptorBudget.ADMIN_RESERVE + 2 + 4);
        try (GatewayProcess gateway = GatewayProcess.start(s, dir, List.of("prlimit", "--nofile=" + limit + ":" + limit))) {
            String log = Files.readString(dir.resolve("gateway.log"));
            assertTrue(log.contains("connections.max 20000 does not fit the process's limit of " + limit + " open files"), log);
            assertTrue(log.contains("accepting at most " + cap + " terminal connections"), log);
            List<TerminalConnection> held = new ArrayList<>();
            try {
                for (int i = 0; i < cap; i++) {
                    TerminalConnection t = TerminalConnection.open("127.0.0.1", port);
                    held.add(t);
                }
                // each of these is refused at accept (total cap), not left to hit "too many open files"
                for (int i = 0; i < 10; i++) {
                    try (TerminalConnection surplus = TerminalConnection.open("127.0.0.1", port)) {
                        assertTrue(surplus.closedByPeer(10_000), "surplus connection " + i + " refused");
                    }
                }
                TerminalConnection last = held.remove(held.size() - 1);
                assertEquals("00", PosMessage.unpack(last.exchange(Frames.echoRequest("000001"))).field(39),
                        "a connection within the cap is served");
                last.close();
            } finally {
                for (TerminalConnection t : held) t.close();
            }
            // The places free as the gateway sees the held connections close: until then a new one is
            // still surplus and refused, so wait for the event (a connection served), not a moment.
            String code = Eventually.value("a new connection is served once the held ones are closed", () -> {
                try (TerminalConnection t = TerminalConnection.open("127.0.0.1", port)) {
                    return PosMessage.unpack(t.exchange(Frames.echoRequest("000002"))).field(39);
                }
            }, "00"::equals);
            assertEquals("00", code);
        }
    }
}
