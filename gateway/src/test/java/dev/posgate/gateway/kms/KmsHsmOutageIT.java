package dev.posgate.gateway.kms;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.crypto.RandomSource;
import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.gateway.support.TerminalConnection;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.hsm.sim.HsmSimConfig;
import dev.posgate.hsm.sim.HsmSimulator;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.kms.BatchUploader;
import dev.posgate.testing.Eventually;
import dev.posgate.protocol.kms.KmsTerminalSession;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HSM goes away in the middle of a TMK download: 96, and no TMK is issued. */
class KmsHsmOutageIT {

    @Test
    void hsmDownBetweenK2AndK3AnswersK3With96AndIssuesNothing() throws Exception {
        Vertx simVertx = Vertx.vertx();
        Path dir = Files.createTempDirectory(Path.of("target"), "hsm-");
        HsmSimulator sim = Eventually.await(HsmSimulator.start(simVertx, HsmSimConfig.builder().host("127.0.0.1").port(0)
                .headerLength(4).lmkFile(dir.resolve("lmk.hex")).development(true).build()));
        KmsFixture f = new KmsFixture(TestGateway.start(Map.of(Setting.HSM_HOSTS, "127.0.0.1:" + sim.port(),
                // generous: start-up generates the KMS RSA keys in this HSM (EI), slow on a loaded
                // machine; the outage itself fails fast, the connection being gone
                Setting.HSM_TIMEOUT, 10_000)));
        try {
            KmsFixture.Device d = new KmsFixture.Device("SN-OUTAGE");
            BatchUploader.Result r = f.upload("PO-OUTAGE", List.of(f.factory(d, f.kmsCertificate())));
            assertEquals(200, r.status(), r.body().encode());
            try (TerminalConnection c = f.gateway.connect()) {
                KmsTerminalSession s = new KmsTerminalSession(d.sn, null, 1, d.vault, RandomSource.secure());
                TmsMessage k3 = s.onK2(f.exchange(c, s.k2()));
                Eventually.await(sim.stop());
                assertEquals("96", f.exchange(c, k3).header().status());
            }
            assertEquals(0, f.count("select count(*) from key_record where owner_id = $1", d.sn));
        } finally {
            f.close();
            Eventually.await(simVertx.close());
        }
    }
}
