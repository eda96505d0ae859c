package dev.posgate.hsm.sim.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.HsmException;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.Wrapping;
import dev.posgate.hsm.transport.HsmTransport;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * A malformed reply from an HSM (or from something pretending to be one) becomes an
 * HsmException for the caller, never an unexpected exception inside the client.
 */
class ReplyCodecFuzzTest {
    private static final LmkKey KEY = LmkKey.parse("U" + "0123456789ABCDEF".repeat(2));
    private static final List<Function<Hsm, Future<?>>> CALLS = List.of(
            h -> h.generateKey(KeyType.ZPK),
            h -> h.generateKeyUnder(KeyType.PIK, Wrapping.TMK, KEY),
            h -> h.kcv(KeyType.ZPK, KEY),
            h -> h.verifyUnionPayMac(KeyType.MAK, KEY, new byte[16], new byte[8]),
            h -> h.translatePin(KEY, KEY, new byte[8], "400000000001"),
            h -> h.generateRsaKeyPair(2048),
            h -> h.diagnostics());

    @FuzzTest(maxDuration = "10s")
    void anyReplyIsHandled(FuzzedDataProvider data) {
        Function<Hsm, Future<?>> call = CALLS.get(data.consumeInt(0, CALLS.size() - 1));
        byte[] reply = data.consumeRemainingAsBytes();
        HsmTransport canned = new HsmTransport() {
            @Override
            public Future<byte[]> execute(byte[] command) {
                return Future.succeededFuture(reply);
            }

            @Override
            public Future<Void> close() {
                return Future.succeededFuture();
            }
        };
        Future<?> f = call.apply(new RemoteHsm(canned));
        assertTrue(f.isComplete());
        assertTrue(f.succeeded() || f.cause() instanceof HsmException, () -> "unexpected " + f.cause());
    }
}
