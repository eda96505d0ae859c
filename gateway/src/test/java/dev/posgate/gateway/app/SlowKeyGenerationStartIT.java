package dev.posgate.gateway.app;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.posp.PospFixture;
import dev.posgate.gateway.support.LogCapture;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A first start (fresh data directory and database) against an HSM whose RSA key generation (EI)
 * answers later than {@code hsm.timeout.ms}: the KMS and key-loader identities are generated
 * under {@code hsm.keygen.timeout.ms} and the start succeeds, its log saying what it waited for.
 * The HSM is a software HSM behind a relay that holds every EI request for longer than the
 * command timeout before passing it on (issue 20: "no HSM reply to EI within 2000 ms").
 */
class SlowKeyGenerationStartIT {
    private static final int HEADER = 4;
    private static final int COMMAND_TIMEOUT_MS = 2_000; // hsm.timeout.ms default
    private static final long EI_DELAY_MS = 3_500;

    @Test
    void firstStartWithKeyGenerationSlowerThanTheCommandTimeoutSucceeds() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HsmSimulator hsm = await(HsmSimulator.start(vertx, HsmSimConfig.builder().host("127.0.0.1").port(0).headerLength(HEADER)
                    .lmkFile(PospFixture.newLmkFile()).development(true).build()));
            AtomicInteger held = new AtomicInteger();
            NetServer relay = slowKeyGenerationRelay(vertx, hsm.port(), held);
            try (LogCapture log = LogCapture.attach();
                    TestGateway gateway = TestGateway.start(Map.of(Setting.HSM_HOSTS, "127.0.0.1:" + relay.actualPort(),
                            Setting.HSM_TIMEOUT, COMMAND_TIMEOUT_MS, Setting.HSM_KEYGEN_TIMEOUT, 60_000))) {
                assertTrue(held.get() >= 2, "the KMS and key-loader key pairs were generated through the slow relay: " + held.get());
                assertTrue(gateway.adminPort() > 0);
                // the RSA KMS and key-loader identities (EI, held by the relay) and their SM2 twins (K1)
                assertEquals(4L, (long) await(gateway.app().database().pool().query("select count(*) from kms_identity").execute())
                        .iterator().next().getLong(0));
                assertTrue(log.lines().stream().anyMatch(l -> l.contains("start-up: generating the KMS identity key pair in the HSM")
                        && l.contains("timeout 60 s")), "start-up progress names what it waits for");
                assertTrue(log.lines().stream().anyMatch(l -> l.contains("start-up: connecting to the HSM")));
            }
        } finally {
            await(vertx.close());
        }
    }

    /** The control: with the key-generation timeout no longer than the command timeout, the same start fails on EI. */
    @Test
    void theSameStartFailsWhenKeyGenerationHasOnlyTheCommandTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HsmSimulator hsm = await(HsmSimulator.start(vertx, HsmSimConfig.builder().host("127.0.0.1").port(0).headerLength(HEADER)
                    .lmkFile(PospFixture.newLmkFile()).development(true).build()));
            NetServer relay = slowKeyGenerationRelay(vertx, hsm.port(), new AtomicInteger());
            Exception e = assertThrows(Exception.class, () -> TestGateway.start(Map.of(Setting.HSM_HOSTS, "127.0.0.1:" + relay.actualPort(),
                    Setting.HSM_TIMEOUT, COMMAND_TIMEOUT_MS, Setting.HSM_KEYGEN_TIMEOUT, COMMAND_TIMEOUT_MS)).close());
            assertTrue(String.valueOf(e.getMessage()).contains("EI"), String.valueOf(e.getMessage()));
        } finally {
            await(vertx.close());
        }
    }

    /**
     * A relay to the HSM that holds each EI request {@link #EI_DELAY_MS} before forwarding it (the
     * HSM's answer then comes that much later than usual); every other frame passes at once.
     */
    private static NetServer slowKeyGenerationRelay(Vertx vertx, int hsmPort, AtomicInteger held) throws Exception {
        NetServer server = vertx.createNetServer();
        // One client held by the handler (an unreferenced NetClient is closed by Vert.x's cleaner, sockets and all).
        NetClient hsm = vertx.createNetClient();
        server.connectHandler(client -> {
            client.pause();
            hsm.connect(hsmPort, "127.0.0.1").onSuccess(target -> {
                RecordParser frames = RecordParser.newFixed(2);
                int[] length = {-1};
                frames.handler(chunk -> {
                    if (length[0] < 0) {
                        length[0] = chunk.getUnsignedShort(0);
                        frames.fixedSizeMode(length[0]);
                        return;
                    }
                    Buffer frame = Buffer.buffer(2 + length[0]).appendUnsignedShort(length[0]).appendBuffer(chunk);
                    length[0] = -1;
                    frames.fixedSizeMode(2);
                    String command = chunk.length() >= HEADER + 2 ? chunk.getString(HEADER, HEADER + 2, StandardCharsets.US_ASCII.name()) : "";
                    if (command.equals("EI")) {
                        held.incrementAndGet();
                        vertx.setTimer(EI_DELAY_MS, t -> target.write(frame));
                    } else {
                        target.write(frame);
                    }
                });
                client.handler(frames);
                target.handler(client::write);
                client.closeHandler(v -> target.close());
                target.closeHandler(v -> client.close());
                client.resume();
            }).onFailure(e -> client.close());
        });
        return await(server.listen(0, "127.0.0.1"));
    }
}
