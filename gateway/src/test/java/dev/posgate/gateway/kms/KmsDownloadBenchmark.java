package dev.posgate.gateway.kms;

import static org.junit.jupiter.api.Assertions.*;

import dev.posgate.crypto.Rsa;
import dev.posgate.gateway.support.TestGateway;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkPrivateKey;
import dev.posgate.terminal.kms.BatchUploader;
import dev.posgate.terminal.kms.KmsClient;
import dev.posgate.terminal.kms.TerminalOutput;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * TMK downloads per second with 200 concurrent terminals against the bundled software HSM
 * (docs/benchmarks.md, "KMS"). Not part of the default test run (the name does not end in Test):
 * {@code mvn -pl gateway -am test -Dtest=KmsDownloadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class KmsDownloadBenchmark {
    private static final int TERMINALS = Integer.getInteger("kms.bench.terminals", 200);
    private static final int ROUNDS = Integer.getInteger("kms.bench.rounds", 3);

    @Test
    void tmkDownloadsPerSecond() throws Exception {
        // 200 terminals may each have one HSM command in flight: 8 connections x 32 pipelined
        KmsFixture f = new KmsFixture(TestGateway.start(Map.of(
                dev.posgate.gateway.platform.config.Setting.HSM_CONNECTIONS, Integer.getInteger("kms.bench.hsm.connections", 8),
                dev.posgate.gateway.platform.config.Setting.HSM_TIMEOUT, Integer.getInteger("kms.bench.hsm.timeout.ms", 20000),
                dev.posgate.gateway.platform.config.Setting.DB_POOL_SIZE, 16)));
        try {
            X509Certificate kms = f.kmsCertificate();
            List<KmsFixture.Device> devices = new ArrayList<>();
            List<TerminalOutput> outputs = new ArrayList<>();
            for (int i = 0; i < TERMINALS; i++) {
                KmsFixture.Device d = new KmsFixture.Device(String.format("BENCH%05d", i));
                devices.add(d);
                outputs.add(f.factory(d, kms));
            }
            long t0 = System.nanoTime();
            BatchUploader.Result up = f.upload("PO-BENCH", outputs);
            double uploadMs = (System.nanoTime() - t0) / 1e6;
            assertEquals(200, up.status(), up.body().encode());

            List<TerminalLink> links = new ArrayList<>();
            for (int i = 0; i < TERMINALS; i++) links.add(f.link());
            // warm-up round (JIT, prepared statements, HSM connections)
            runRound(devices, links);
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            for (int r = 0; r < ROUNDS; r++) latencies.addAll(runRound(devices, links));
            double seconds = (System.nanoTime() - start) / 1e9;
            int downloads = TERMINALS * ROUNDS;
            // every round is Future.all of its downloads, so none failed; and some were measured
            assertTrue(downloads > 0, "at least one download measured");
            assertEquals(downloads, latencies.size(), "every download completed");
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();

            // where the time goes: the RSA step (ZI) alone, and the TDES HSM steps, at the same concurrency
            Hsm hsm = f.gateway.app().hsmLink().hsm();
            LmkPrivateKey kmsKey = LmkPrivateKey.fromBase64(Eventually.await(f.gateway.app().database().pool()
                    .preparedQuery("select private_key_lmk from kms_identity where name = 'KMS'").execute(Tuple.tuple()))
                    .iterator().next().getString(0));
            byte[] block = outputs.get(0).tkBlock();
            long z0 = System.nanoTime();
            List<Future<?>> zi = new ArrayList<>();
            for (int i = 0; i < TERMINALS; i++) {
                Future<?> lane = Future.succeededFuture();
                for (int r = 0; r < ROUNDS; r++) lane = lane.compose(x -> hsm.unwrapTransmissionKey(kmsKey, block));
                zi.add(lane);
            }
            Eventually.await(Future.all(zi));
            double ziPerSecond = downloads / ((System.nanoTime() - z0) / 1e9);
            var keys = Eventually.await(hsm.unwrapTransmissionKey(kmsKey, block));
            long d0 = System.nanoTime();
            List<Future<?>> des = new ArrayList<>();
            for (int i = 0; i < TERMINALS; i++) {
                Future<?> lane = Future.succeededFuture();
                for (int r = 0; r < ROUNDS; r++) {
                    lane = lane.compose(y -> hsm.kmsAukProof(keys.auk(), new byte[8])
                            .compose(x -> hsm.verifyTerminalAukProof(keys.auk(), new byte[8], x))
                            .compose(x -> hsm.generateKey(KeyType.TMK))
                            .compose(tmk -> hsm.tmkUnderTek(keys.tek(), tmk.key())));
                }
                des.add(lane);
            }
            Eventually.await(Future.all(des));
            double desSetsPerSecond = downloads / ((System.nanoTime() - d0) / 1e9);

            System.out.printf("KMS benchmark: %d terminals x %d rounds = %d downloads in %.2f s -> %.1f TMK downloads/s;"
                            + " latency p50 %.1f ms p99 %.1f ms; batch upload of %d TKs %.0f ms;"
                            + " ZI alone %.1f/s; ZK+ZM+A0+ZO alone %.1f sets/s%n",
                    TERMINALS, ROUNDS, downloads, seconds, downloads / seconds,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, TERMINALS, uploadMs,
                    ziPerSecond, desSetsPerSecond);
            assertEquals(downloads, f.count("select count(*) from key_record where owner_id like 'BENCH%' and state <> 'PENDING'")
                    - TERMINALS);
            for (TerminalLink l : links) l.close();
        } finally {
            f.close();
        }
    }

    private static List<Long> runRound(List<KmsFixture.Device> devices, List<TerminalLink> links) throws Exception {
        List<Future<Long>> all = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            KmsFixture.Device d = devices.get(i);
            long t = System.nanoTime();
            all.add(KmsClient.downloadTmk(links.get(i), d.sn, null, 1, d.vault).map(kcv -> {
                assertTrue(Arrays.equals(kcv, d.pinPad.kcv(1, dev.posgate.terminal.pinpad.KeyRole.TMK, 4)));
                return System.nanoTime() - t;
            }));
        }
        Eventually.await(Future.all(all));
        List<Long> out = new ArrayList<>();
        for (Future<Long> x : all) out.add(x.result());
        return out;
    }
}
