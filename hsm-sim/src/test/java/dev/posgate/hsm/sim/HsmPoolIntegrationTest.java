package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.await;
import static dev.posgate.hsm.sim.SimTestSupport.form;
import static dev.posgate.hsm.sim.SimTestSupport.randomKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.GeneratedKey;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.PinTranslation;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.pool.HsmPool;
import dev.posgate.hsm.pool.HsmPoolConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RemoteHsm over the production connection pool against the simulator. */
@ExtendWith(VertxExtension.class)
class HsmPoolIntegrationTest {

    @Test
    void remoteHsmOverHsmPool(Vertx vertx) {
        Lmk lmk = Lmk.generate(RandomSource.secure());
        HsmSimulator sim = await(HsmSimulator.start(vertx, HsmSimConfig.builder().port(0).lmk(lmk)
                .allowClearComponents(true).headerLength(6).build()));
        HsmPool pool = new HsmPool(vertx, HsmPoolConfig.builder().name("test").host("127.0.0.1", sim.port())
                .connectionsPerHost(2).headerLength(6).maxInFlightPerConnection(64).maxWaitQueue(1000).build());
        try {
            await(pool.start());
            Hsm hsm = new RemoteHsm(pool);
            assertEquals(lmk.checkValue(), await(hsm.diagnostics()).lmkCheckValue());
            byte[] tmkClear = randomKey(16);
            LmkKey tmk = form(hsm, KeyType.TMK, tmkClear);
            GeneratedKey pik = await(hsm.generateKeyUnder(KeyType.PIK, Wrapping.TMK, tmk));
            GeneratedKey mak = await(hsm.generateKeyUnder(KeyType.MAK, Wrapping.TMK, tmk));
            byte[] pikClear = Tdes.decryptEcb(tmkClear, pik.underWrapping().cryptogram());
            byte[] makClear = Tdes.decryptEcb(tmkClear, mak.underWrapping().cryptogram());
            byte[] zpkClear = randomKey(16);
            LmkKey zpk = form(hsm, KeyType.ZPK, zpkClear);
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String pan = "4000000000" + String.format("%06d", i);
                byte[] mab = RandomSource.secure().next(40 + i);
                all.add(hsm.translatePin(pik.underLmk(), zpk, Tdes.encryptEcb(pikClear, PinBlocks.format0("4321", pan)), pan)
                        .map((PinTranslation t) -> {
                            assertEquals("4321", PinBlocks.pinFromFormat0(Tdes.decryptEcb(zpkClear, t.pinBlock()), pan));
                            return t;
                        }));
                all.add(hsm.generateUnionPayMac(mak.underLmk(), mab).map(m -> {
                    assertArrayEquals(Macs.unionPayEcb(makClear, mab), m);
                    return m;
                }));
            }
            await(Future.all(all));
        } finally {
            await(pool.close());
            await(sim.stop());
        }
    }
}
