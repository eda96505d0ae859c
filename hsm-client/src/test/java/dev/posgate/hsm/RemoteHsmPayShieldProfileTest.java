package dev.posgate.hsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.hsm.transport.HsmTransport;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RemoteHsm in the {@code payshield} profile (issue 16 item 1), against scripted replies taken
 * from the golden transcripts (test-support payshield/transcripts.txt, ut-codec-payshield's
 * examples): the bytes it sends are the public layouts, it reads 6-hex check values from A0/A6/A8
 * and completes them with BU, A6's 01 is a warning, and no extension leaves the client.
 */
class RemoteHsmPayShieldProfileTest {
    /** Records what is sent and answers from a script. */
    static final class Scripted implements HsmTransport {
        final List<String> sent = new ArrayList<>();
        final Deque<String> replies = new ArrayDeque<>();

        Scripted answer(String reply) {
            replies.add(reply);
            return this;
        }

        @Override
        public Future<byte[]> execute(byte[] command) {
            sent.add(new String(command, StandardCharsets.ISO_8859_1));
            String r = replies.poll();
            return r == null ? Future.failedFuture("no scripted reply") : Future.succeededFuture(r.getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }

    private static final LmkKey ZMK = LmkKey.parse("U99D8FC778055B63D3FD53CDA9EEEFB9E");

    @Test
    void a0UnderAZmkIsThePublicLayoutAndBuCompletesTheSixHexCheckValue() {
        Scripted t = new Scripted()
                .answer("A100UAE79B4FFA40D7B229CC683DE461BC734X4DC5B9381D893C6626A37D2F40809FEA1C96B6")
                .answer("BV001C96B60011223344");
        GeneratedKey k = new RemoteHsm(t, HsmProfile.PAYSHIELD).generateKeyUnder(KeyType.TMK, KeyScheme.U, Wrapping.ZMK, ZMK).result();
        // [ut] generateKeyEncode case 1, byte for byte
        assertEquals("A01002U;0U99D8FC778055B63D3FD53CDA9EEEFB9EX", t.sent.get(0));
        // BU in the public key-type-code form with the standard group: reserved 00, type 0 (16 hex)
        assertEquals("BU021UAE79B4FFA40D7B229CC683DE461BC734;000", t.sent.get(1));
        assertEquals("UAE79B4FFA40D7B229CC683DE461BC734", k.underLmk().toWire());
        assertEquals("X4DC5B9381D893C6626A37D2F40809FEA", k.underWrapping().toWire());
        assertEquals("1C96B60011223344", k.kcv().hex());
    }

    @Test
    void aBuCheckValueThatDisagreesWithA0sIsAProtocolError() {
        Scripted t = new Scripted().answer("A100U8D6E42E33CCDD7C1ABB2F4C74E3B3DE8A24667").answer("BV00FFFFFF0011223344");
        Future<KeyWithKcv> f = new RemoteHsm(t, HsmProfile.PAYSHIELD).generateKey(KeyType.TMK, KeyScheme.U);
        assertEquals("A00002U", t.sent.get(0)); // [ut] generateKeyEncode case 0
        assertInstanceOf(HsmProtocolException.class, f.cause());
    }

    @Test
    void a8UnderAZmkOmitsTheFlagGroupAndUnderATmkWritesIt() {
        LmkKey key = LmkKey.parse("U7E717639AE951BBD85C280216DD3289F");
        LmkKey zmk = LmkKey.parse("U773F7C1902633996DCCBE4EC5F2986AD");
        Scripted t = new Scripted().answer("A900XA921158D2F2571942EA0B770637F005C6AE7CD").answer("BV006AE7CD3DFB6F78F0")
                .answer("A900XA921158D2F2571942EA0B770637F005C6AE7CD").answer("BV006AE7CD3DFB6F78F0");
        RemoteHsm hsm = new RemoteHsm(t, HsmProfile.PAYSHIELD);
        ExportedKey e = hsm.exportKey(KeyType.TMK, Wrapping.ZMK, zmk, key).result();
        assertEquals("A8002U773F7C1902633996DCCBE4EC5F2986ADU7E717639AE951BBD85C280216DD3289FX", t.sent.get(0));
        assertEquals("BU021U7E717639AE951BBD85C280216DD3289F;000", t.sent.get(1));
        assertEquals("6AE7CD3DFB6F78F0", e.kcv().hex());
        hsm.exportKey(KeyType.PIK, Wrapping.TMK, zmk, key).result();
        assertEquals("A8002;1U773F7C1902633996DCCBE4EC5F2986ADU7E717639AE951BBD85C280216DD3289FX", t.sent.get(2));
    }

    @Test
    void a6Error01IsAWarningTheKeyIsStillReturned() {
        LmkKey zmk = LmkKey.parse("UE6565E2D55B9463120398E7729DA524E");
        WrappedKey under = WrappedKey.parse("XA921158D2F2571942EA0B770637F005C");
        Scripted t = new Scripted().answer("A701UC13E9E92DBA05F2DF2379B821C5766A38FFED1");
        KeyWithKcv k = new RemoteHsm(t, HsmProfile.PAYSHIELD).importKey(KeyType.TMK, zmk, under).result();
        assertEquals("A6002UE6565E2D55B9463120398E7729DA524EXA921158D2F2571942EA0B770637F005CU", t.sent.get(0));
        assertEquals("UC13E9E92DBA05F2DF2379B821C5766A3", k.key().toWire());
        assertEquals("8FFED1", k.kcv().hex(), "no BU after the warning: the HSM's 6-hex value");
        assertEquals(1, t.sent.size());
        // without the warning, BU completes the check value
        Scripted ok = new Scripted().answer("A700UC13E9E92DBA05F2DF2379B821C5766A38FFED1").answer("BV008FFED10102030405");
        assertEquals("8FFED10102030405", new RemoteHsm(ok, HsmProfile.PAYSHIELD).importKey(KeyType.TMK, zmk, under).result().kcv().hex());
        // the posgate profile keeps refusing: 01 is a failure there
        Scripted posgate = new Scripted().answer("A701");
        assertEquals("01", assertInstanceOf(HsmException.class,
                new RemoteHsm(posgate).importKey(KeyType.TMK, zmk, under).cause()).errorCode());
    }

    @Test
    void extensionsNeverLeaveTheClient() {
        Scripted t = new Scripted();
        RemoteHsm hsm = new RemoteHsm(t, HsmProfile.PAYSHIELD);
        HsmException e = assertInstanceOf(HsmException.class, hsm.tac(ZMK, new byte[8]).cause());
        assertEquals("ZS", e.command());
        assertEquals(HsmErrors.COMMAND_DISABLED, e.errorCode());
        assertInstanceOf(HsmException.class, hsm.formKeyFromComponents(KeyType.TMK, KeyScheme.U, new byte[16], new byte[16]).cause());
        assertInstanceOf(HsmException.class, hsm.generateSm4Key(KeyType.TMK).cause());
        assertTrue(t.sent.isEmpty());
    }

    @Test
    void theUnionPayMacIsM6AlgorithmOneOverTheHexOfTheXoredBlocks() {
        byte[] mab = "0123456789ABCDEFGHIJ".getBytes(StandardCharsets.US_ASCII);
        // XOR of "01234567", "89ABCDEF", "GHIJ\0\0\0\0"
        byte[] x = new byte[8];
        for (int i = 0; i < mab.length; i++) x[i % 8] ^= mab[i];
        String hex = dev.posgate.crypto.Hex.encode(x);
        Scripted t = new Scripted().answer("M7001A2B3C4D").answer("M900").answer("M901");
        RemoteHsm hsm = new RemoteHsm(t, HsmProfile.PAYSHIELD);
        LmkKey mak = LmkKey.parse("U5FFE8014DA383D44C24AB41E37DB252F");
        assertArrayEquals("1A2B3C4D".getBytes(StandardCharsets.US_ASCII), hsm.generateUnionPayMac(KeyType.MAK, mak, mab).result());
        // mode 0, binary input, MAC size 0 (8 hex), algorithm 1, padding 0, the TAK, 16 bytes: the hex characters
        assertEquals("M600010003" + mak.toWire() + "0010" + hex, t.sent.get(0));
        assertTrue(hsm.verifyUnionPayMac(KeyType.MAK, mak, mab, "1A2B3C4D".getBytes(StandardCharsets.US_ASCII)).result());
        assertEquals("M800010003" + mak.toWire() + "0010" + hex + "1A2B3C4D", t.sent.get(1));
        assertFalse(hsm.verifyUnionPayMac(KeyType.MAK, mak, mab, "1A2B3C4D".getBytes(StandardCharsets.US_ASCII)).result());
        // not a MAC the ECB algorithm can produce: false without asking the HSM
        assertFalse(hsm.verifyUnionPayMac(KeyType.MAK, mak, mab, "1a2b3c4d".getBytes(StandardCharsets.US_ASCII)).result());
        assertEquals(3, t.sent.size());
    }
}
