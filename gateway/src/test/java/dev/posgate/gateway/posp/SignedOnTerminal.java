package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.Tdes;
import dev.posgate.testing.TdesReference;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Arrays;

/**
 * A TMK terminal of a {@link PospFixture} world, registered and signed on (double-length keys) over
 * TCP: its client, link and clear MAK (from field 62, decrypted here with the fixture's clear TMK).
 * {@link #send} recomputes the request's and the answer's MAC with BouncyCastle's DESede,
 * independently of the PIN pad and the HSM.
 */
class SignedOnTerminal {
    final String tid;
    final PosClient pos;
    final TerminalLink link;
    final byte[] mak;
    private final PospFixture world;

    SignedOnTerminal(PospFixture world, String tid, String sn) throws Exception {
        this.world = world;
        this.tid = tid;
        PinPad pad = world.registerTmkTerminal(tid, sn);
        link = await(TerminalLink.connect(world.vertx, "127.0.0.1", world.gateway.port(), Duration.ofSeconds(10)));
        pos = new PosClient(link, tid, "898310048990001", new PinPadKeys(pad, 1), false);
        PosClient.SignOnResult r = await(pos.signOn(SignOnMode.DOUBLE));
        assertEquals("00", r.code());
        byte[] tmk = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));
        mak = TdesReference.ecbDecrypt(tmk, Arrays.copyOfRange(r.reply().binary(62), 20, 36));
    }

    /** Sends {@code m} MACed, checks both MACs independently; the answer. */
    PosMessage send(PosMessage m) throws Exception {
        byte[] body = pos.seal(m);
        assertArrayEquals(TdesReference.unionPayEcbMac(mak, MacBlock.of(body)), MacBlock.mac(body), "request MAC (BouncyCastle)");
        byte[] answer = await(link.request(body));
        PosMessage reply = PosMessage.unpack(answer);
        assertTrue(reply.has(64), "answer " + reply.mti() + "/" + reply.field(39) + " MACed");
        assertArrayEquals(TdesReference.unionPayEcbMac(mak, MacBlock.of(answer)), MacBlock.mac(answer), "answer MAC (BouncyCastle)");
        return reply;
    }

    /** What the host simulator received of {@code m} (this terminal, its STAN) under {@code mti}; null if nothing. */
    PosMessage atHost(PosMessage m, String mti) {
        return world.host.requestsReceived().get(tid + ":" + m.field(11) + ":" + mti);
    }

    /** This terminal's journal row of {@code stan} and {@code mti}: its state, amounts, references and advice state. */
    Row row(String stan, String mti) throws Exception {
        return await(world.db().preparedQuery("select id, kind, status, amount, orig_id, response_code, auth_code, rrn, refunded,"
                        + " advice_state, advice_code, advice_attempts, advice is null as dropped"
                        + " from posp_transaction where tid = $1 and stan = $2 and mti = $3")
                .execute(Tuple.of(tid, stan, mti))).iterator().next();
    }

    /** The host simulator's key of message {@code m}: tid:batch:stan. */
    String key(PosMessage m) {
        return tid + ":" + pos.batch() + ":" + m.field(11);
    }

    /**
     * Signs {@code pos} on with {@code mode} and checks the answer: 00, keys accepted, field 62 of
     * {@code length} bytes laid out as key(n) KCV(4) ..., each key ECB under the clear {@code tmk}
     * followed by the first 4 bytes of its check value. The sign-on's result.
     */
    static PosClient.SignOnResult signOnInLayout(PosClient pos, SignOnMode mode, int length, byte[] tmk) throws Exception {
        PosClient.SignOnResult r = await(pos.signOn(mode));
        assertEquals("00", r.code(), mode.code());
        assertTrue(r.keysAccepted(), mode.code());
        byte[] f62 = r.reply().binary(62);
        assertEquals(length, f62.length);
        int n = mode.keyLength();
        for (int off = 0; off < f62.length; off += n + 4) {
            byte[] clear = Tdes.decryptEcb(tmk, Arrays.copyOfRange(f62, off, off + n));
            assertArrayEquals(Kcv.of(clear, 4), Arrays.copyOfRange(f62, off + n, off + n + 4));
        }
        return r;
    }
}
