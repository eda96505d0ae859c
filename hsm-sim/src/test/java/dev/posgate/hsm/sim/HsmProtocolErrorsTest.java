package dev.posgate.hsm.sim;

import static dev.posgate.hsm.sim.SimTestSupport.assertHsmError;
import static dev.posgate.hsm.sim.SimTestSupport.await;
import static dev.posgate.hsm.sim.SimTestSupport.form;
import static dev.posgate.hsm.sim.SimTestSupport.randomKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Rsa;
import dev.posgate.crypto.Tdes;
import dev.posgate.crypto.TransmissionKeyBlock;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.MacParams;
import dev.posgate.hsm.RemoteHsm;
import dev.posgate.hsm.RsaKeyPair;
import dev.posgate.hsm.RsaKeyUsage;
import dev.posgate.hsm.TransmissionKeys;
import dev.posgate.hsm.transport.HsmUnavailableException;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Malformed, disabled and unknown commands, framing limits and pipelining over real TCP. */
@ExtendWith(VertxExtension.class)
class HsmProtocolErrorsTest {
    static final Lmk LMK = Lmk.generate(RandomSource.secure());
    static HsmSimulator dev;
    static HsmSimulator prod;

    @BeforeAll
    static void start(Vertx vertx) {
        dev = await(HsmSimulator.start(vertx, HsmSimConfig.builder().port(0).lmk(LMK).development(true)
                .allowClearComponents(true).maxFrameBytes(4096).build()));
        // production-like: clear components off by default, M6 disabled by configuration
        prod = await(HsmSimulator.start(vertx, HsmSimConfig.builder().port(0).lmk(LMK).disableCommand("M6").build()));
    }

    @AfterAll
    static void stop() {
        await(dev.stop());
        await(prod.stop());
    }

    private static String raw(SingleConnectionTransport t, String command) {
        return new String(await(t.execute(command.getBytes(StandardCharsets.ISO_8859_1))), StandardCharsets.ISO_8859_1);
    }

    @Test
    void malformedRequestsGetErrorReplies(Vertx vertx) {
        SingleConnectionTransport t = await(SingleConnectionTransport.connect(vertx, dev.port(), 4));
        try {
            assertEquals("A115", raw(t, "A0"));
            assertEquals("A104", raw(t, "A00XYZU"));               // unknown key type code
            assertEquals("A126", raw(t, "A00002Q"));               // invalid LMK scheme
            assertEquals("A115", raw(t, "A00002U;"));              // truncated trailing group
            assertEquals("A115", raw(t, "A00002UX"));              // trailing garbage
            assertEquals("CB15", raw(t, "CAU0123"));               // truncated key
            assertEquals("M715", raw(t, "M6"));
            assertEquals("M702", raw(t, "M69"));                   // mode flag
            assertEquals("BV05", raw(t, "BU029U" + "0".repeat(32)));
            assertEquals("XY15", raw(t, "XX"));                    // unknown command
            assertEquals("ZZ15", raw(t, "A"));
            assertEquals("ND15", raw(t, "NCX"));
            assertTrue(raw(t, "NC").startsWith("ND00"));
            assertEquals("ZJ15", raw(t, "ZI0000"));
            assertEquals("ZJ49", raw(t, "ZI0004abcd0001x"));      // private key blob garbage
            assertEquals("A115", raw(t, "A0\u0000\u00ff\u0080"));
        } finally {
            await(t.close());
        }
    }

    @Test
    void disabledCommandsGet68(Vertx vertx) {
        SingleConnectionTransport t = await(SingleConnectionTransport.connect(vertx, prod.port(), 4));
        try {
            Hsm hsm = new RemoteHsm(t);
            assertHsmError("68", hsm.formKeyFromComponents(KeyType.ZMK, KeyScheme.U, randomKey(16), randomKey(16)));
            LmkKey tak = LMK.encrypt(KeyType.TAK, randomKey(16));
            assertHsmError("68", hsm.generateMac(KeyType.TAK, tak, MacParams.X9_19, new byte[8]));
            assertEquals(Kcv.hex6(LMK.decrypt(KeyType.TAK, tak)), await(hsm.kcv(KeyType.TAK, tak)).hex().substring(0, 6));
        } finally {
            await(t.close());
        }
    }

    @Test
    void oversizedFrameClosesTheConnection(Vertx vertx) throws Exception {
        SingleConnectionTransport t = await(SingleConnectionTransport.connect(vertx, dev.port(), 4));
        Future<byte[]> pendingReply = t.execute("NC".getBytes(StandardCharsets.US_ASCII));
        await(pendingReply);
        t.writeRaw(Buffer.buffer().appendUnsignedShort(4097).appendString("0000NC"));
        Future<byte[]> after = t.execute("NC".getBytes(StandardCharsets.US_ASCII));
        try {
            await(after);
            throw new AssertionError("connection should have been closed");
        } catch (HsmUnavailableException expected) {
            assertTrue(t.isClosed());
        }
    }

    @Test
    void framesSplitAndCoalescedAcrossSegments(Vertx vertx) throws Exception {
        SingleConnectionTransport t = await(SingleConnectionTransport.connect(vertx, dev.port(), 4));
        try {
            // a keep-alive (length 0), then two NC frames in one write, the second split: every
            // segment is written on the socket's context in this order (see SingleConnectionTransport)
            Buffer two = Buffer.buffer().appendUnsignedShort(0)
                    .appendUnsignedShort(6).appendString("9998NC")
                    .appendUnsignedShort(6).appendString("9999N");
            t.writeRaw(two);
            t.writeRaw(Buffer.buffer("C"));
            // both raw frames are answered, in order, before anything else is sent: the split one was
            // reassembled, the keep-alive ignored (waits for the replies, not for the clock)
            Eventually.until("replies to both raw frames", () -> t.unmatchedReplies().size() >= 2 || t.isClosed());
            assertEquals(java.util.List.of("9998", "9999"), t.unmatchedReplies());
            assertTrue(new String(await(t.execute("NC".getBytes(StandardCharsets.US_ASCII))), StandardCharsets.US_ASCII)
                    .startsWith("ND00"));
        } finally {
            await(t.close());
        }
    }

    @Test
    void pipelinedMixedCommandsOnOneConnection(Vertx vertx, VertxTestContext ctx) throws Throwable {
        SingleConnectionTransport t = await(SingleConnectionTransport.connect(vertx, dev.port(), 4));
        Hsm hsm = new RemoteHsm(t);
        byte[] takClear = randomKey(16);
        LmkKey tak = form(hsm, KeyType.TAK, takClear);
        RsaKeyPair kms = await(hsm.generateRsaKeyPair(RsaKeyUsage.KEY_MANAGEMENT, 1024));
        RSAPublicKey pub = Rsa.decodePublicKey(kms.publicKeyDer());
        byte[] tpkClear = randomKey(16);
        byte[] zpkClear = randomKey(16);
        LmkKey tpk = form(hsm, KeyType.TPK, tpkClear);
        LmkKey zpk = form(hsm, KeyType.ZPK, zpkClear);

        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int kind = i % 3;
            if (kind == 0) {
                byte[] msg = RandomSource.secure().next(20 + i);
                all.add(hsm.generateMac(KeyType.TAK, tak, MacParams.X9_19, msg)
                        .map(m -> {
                            assertArrayEquals(Macs.x919(takClear, msg), m);
                            return m;
                        }));
            } else if (kind == 1) {
                String pan = "62258801" + String.format("%08d", i) + "7";
                String pin = String.format("%06d", i);
                byte[] block = Tdes.encryptEcb(tpkClear, PinBlocks.format0(pin, pan));
                all.add(hsm.translatePin(tpk, zpk, block, pan).map(r -> {
                    assertEquals(pin, PinBlocks.pinFromFormat0(Tdes.decryptEcb(zpkClear, r.pinBlock()), pan));
                    return r;
                }));
            } else if (i % 30 == 2) {
                byte[] tek = RandomSource.secure().next(16);
                byte[] auk = RandomSource.secure().next(16);
                byte[] enc = Rsa.oaepEncrypt(pub, TransmissionKeyBlock.encode(tek, auk));
                all.add(hsm.unwrapTransmissionKey(kms.privateKey(), enc).map((TransmissionKeys k) -> {
                    assertArrayEquals(Kcv.of(auk, 4), k.aukKcv().bytes());
                    return k;
                }));
            } else {
                all.add(hsm.diagnostics());
            }
        }
        Future.all(all).onComplete(ctx.succeedingThenComplete());
        assertTrue(ctx.awaitCompletion(30, TimeUnit.SECONDS));
        if (ctx.failed()) {
            throw ctx.causeOfFailure();
        }
        await(t.close());
    }
}
