package dev.posgate.hsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.hsm.transport.HsmTransport;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How RemoteHsm maps reply codes: 00 result, 01 on verify = false, others = HsmException. */
class RemoteHsmReplyTest {
    static final LmkKey KEY = LmkKey.parse("U" + "11".repeat(16));

    private static Hsm answering(String reply) {
        return new RemoteHsm(new HsmTransport() {
            @Override
            public Future<byte[]> execute(byte[] command) {
                return Future.succeededFuture(reply.getBytes(StandardCharsets.ISO_8859_1));
            }

            @Override
            public Future<Void> close() {
                return Future.succeededFuture();
            }
        });
    }

    @Test
    void verificationFailureIsFalse() {
        assertFalse(answering("M901").verifyMac(KeyType.TAK, KEY, MacParams.X9_19, new byte[8], new byte[8]).result());
        assertTrue(answering("M900").verifyMac(KeyType.TAK, KEY, MacParams.X9_19, new byte[8], new byte[8]).result());
        assertFalse(answering("ZV01").verifyTac(KEY, new byte[10], new byte[4]).result());
    }

    @Test
    void errorCodesBecomeHsmException() {
        Future<Boolean> f = answering("M910").verifyMac(KeyType.TAK, KEY, MacParams.X9_19, new byte[8], new byte[8]);
        HsmException e = assertInstanceOf(HsmException.class, f.cause());
        assertEquals("M8", e.command());
        assertEquals("10", e.errorCode());
        // 01 where it is not a verification (TK block hash mismatch) is an exception too
        Future<TransmissionKeys> tk = answering("ZJ01").unwrapTransmissionKey(LmkPrivateKey.of(new byte[10]), new byte[256]);
        assertTrue(assertInstanceOf(HsmException.class, tk.cause()).isVerificationFailure());
    }

    @Test
    void malformedRepliesAreProtocolErrors() {
        assertInstanceOf(HsmProtocolException.class, answering("A100U12").generateKey(KeyType.ZPK).cause());
        assertInstanceOf(HsmProtocolException.class, answering("XX00").diagnostics().cause());
        assertInstanceOf(HsmProtocolException.class, answering("").diagnostics().cause());
    }

    @Test
    void valueTypesHideKeyMaterial() {
        assertFalse(KEY.toString().contains("1111"));
        assertEquals(KEY, LmkKey.parse(KEY.toWire()));
        assertFalse(LmkPrivateKey.of(new byte[] {0x41, 0x42}).toString().contains("AB"));
    }
}
