package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.posgate.hostsim.HostRules;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.testing.TdesReference;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.testing.BusinessDayZone;
import dev.posgate.testing.Eventually;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The host simulator's rules (issue 18 item 6, docs/posp.md "Host simulator") take effect end to
 * end over TCP: terminal → gateway (PostgreSQL, software HSM) → host simulator and back, every
 * request and answer MAC recomputed with BouncyCastle ({@link SignedOnTerminal#send}). Each test
 * sets the rules of the one host simulator and puts the defaults back after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostRulesEndToEndIT {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PAN = "6222021234567890123";
    private static final String PIN = "123456";
    /** A terminal's 55 with its ARQC in 9F26 (as IcCardEndToEndIT's). */
    private static final byte[] ICC = HEX.parseHex("9F2608A1B2C3D4E5F60718" + "9F270180" + "9F101307010103A0A000010A0100000000006F0E35CF"
            + "9F3704A1B2C3D4" + "9F36020042" + "950500000480009A032612039C0100" + "9F02060000000012345F2A020156"
            + "9F1E083132333435363738");
    private PospFixture world;

    @BeforeAll
    void start() throws Exception {
        world = PospFixture.start(3000);
    }

    @AfterEach
    void defaults() {
        world.host.rules(HostRules.defaults());
    }

    @AfterAll
    void stop() throws Exception {
        world.close();
    }

    private static String today() {
        return BusinessDayZone.todayMmdd();
    }

    @Test
    void amountThresholdsDecideAuthorisationsAndBelowThemEverythingIsApproved() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "RULE0001", "SN-RULE-1");
        world.host.rules(HostRules.defaults().withAmountDeclines(Map.of(20_000L, "61", 50_000L, "05")));

        assertEquals("00", t.send(t.pos.purchase(PAN, 20_000, PIN)).field(39), "at the threshold: approved");
        assertEquals("61", t.send(t.pos.purchase(PAN, 20_001, PIN)).field(39));
        assertEquals("05", t.send(t.pos.purchase(PAN, 50_001, PIN)).field(39), "the highest threshold crossed");
        PosMessage preAuth = t.send(t.pos.preAuth(PAN, 30_000, PIN));
        assertEquals("0110", preAuth.mti());
        assertEquals("61", preAuth.field(39), "pre-auths follow the amount rules");
        assertEquals("DECLINED", t.row(preAuth.field(11), "0100").getString("status"));
        PosMessage ic = t.send(t.pos.icPurchase(PAN, 60_000, PIN, ICC, "001"));
        assertEquals("05", ic.field(39), "IC purchases too");
        assertEquals("05", new String(Arrays.copyOfRange(BerTlv.find(BerTlv.decodeEmv(ic.binary(55)), 0x91).value(), 8, 10),
                StandardCharsets.US_ASCII), "the ARPC's response code is the decline");
    }

    @Test
    void aDeclinePerProcessingCodeReachesTheTerminalOrTheAdvicesRecord() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "RULE0002", "SN-RULE-2");
        world.host.rules(HostRules.defaults().withProcessingDeclines(Map.of("310000", "57", "200000/25", "12")));

        PosMessage balance = t.send(t.pos.balanceInquiry(PAN, PIN));
        assertEquals("57", balance.field(39), "balance inquiries (310000) declined");
        PosMessage purchase = t.pos.purchase(PAN, 8_000, PIN);
        PosMessage sale = t.send(purchase);
        assertEquals("00", sale.field(39), "purchases (000000) untouched");
        PosMessage voidOf = t.send(t.pos.voidOf(PAN, 8_000, purchase.field(11)));
        assertEquals("00", voidOf.field(39), "200000/25 names refunds only: a void (200000/23) is approved");

        PosMessage other = t.pos.purchase(PAN, 9_000, PIN);
        PosMessage sale2 = t.send(other);
        assertEquals("00", sale2.field(39));
        PosMessage refund = t.pos.refund(PAN, 1_000, t.pos.batch(), other.field(11), today(), sale2.field(37));
        assertEquals("00", t.send(refund).field(39), "the gateway accepts the advice; the host decides when it arrives");
        Eventually.until("the refund delivered", () -> "DELIVERED".equals(t.row(refund.field(11), "0220").getString("advice_state")));
        assertEquals("12", t.row(refund.field(11), "0220").getString("advice_code"), "the host's code per 200000/25");
        assertEquals("12", world.host.advices().get(t.key(refund)));
    }

    @Test
    void anIssuerScriptInTheTemplateConfiguredGoesToEveryApprovedIcAuthorisation() throws Exception {
        SignedOnTerminal t = new SignedOnTerminal(world, "RULE0003", "SN-RULE-3");
        world.host.rules(HostRules.defaults().withIssuerScript(new HostRules.IssuerScript(true, null, -1, 0x71)));

        for (PosMessage request : List.of(t.pos.icPurchase(PAN, 1_234, PIN, ICC, "001"),
                t.pos.ic(t.pos.preAuth(PAN, 2_345, PIN), ICC, "001"))) {
            PosMessage answer = t.send(request);
            assertEquals("00", answer.field(39), request.mti());
            List<Tlv> back = BerTlv.decodeEmv(answer.binary(55));
            Tlv arpc = BerTlv.find(back, 0x91);
            assertNotNull(arpc, request.mti());
            byte[] expected = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(
                    HEX.parseHex("A1B2C3D4E5F60718" + HEX.formatHex("00".getBytes(StandardCharsets.US_ASCII)))), 8);
            assertArrayEquals(expected, Arrays.copyOf(arpc.value(), 8), "ARPC: SHA-256 over ARQC and code, recomputed here");
            Tlv script = BerTlv.find(back, 0x71);
            assertNotNull(script, "template 71 as configured, " + request.mti());
            assertNull(BerTlv.find(back, 0x72));
            assertEquals("841E000004" + HEX.formatHex(expected, 0, 4), HEX.formatHex(script.find(0x86).value()));
        }
        // a swipe carries no 55 and gets none; an IC decline gets the ARPC and no script
        assertFalse(t.send(t.pos.purchase(PAN, 1_000, PIN)).has(55));
        PosMessage declined = t.send(t.pos.icPurchase(PAN, 0, PIN, ICC, "001"));
        assertEquals("13", declined.field(39));
        assertNull(BerTlv.find(BerTlv.decodeEmv(declined.binary(55)), 0x71));
    }

    @Test
    void aDelayPerMessageTypeHoldsThatAnswerOnATimerWhileOtherMessagesAreAnswered() throws Exception {
        SignedOnTerminal slow = new SignedOnTerminal(world, "RULE0004", "SN-RULE-4");
        SignedOnTerminal other = new SignedOnTerminal(world, "RULE0005", "SN-RULE-5");
        // the host holds 0100 answers far beyond the gateway's upstream timeout (3 s)
        world.host.rules(HostRules.defaults().withDelays(-1, Map.of("0100", 60_000L)));

        PosMessage preAuth = slow.pos.preAuth(PAN, 5_000, PIN);
        byte[] body = slow.pos.seal(preAuth);
        Future<byte[]> pending = slow.link.request(body);
        Eventually.until("the pre-auth reached the host", () -> slow.atHost(preAuth, "0100") != null);

        // a blocked host would leave this purchase unanswered past the upstream timeout (68)
        assertEquals("00", other.send(other.pos.purchase(PAN, 5_000, PIN)).field(39), "0200 is not delayed");

        byte[] wire = await(pending);
        assertArrayEquals(TdesReference.unionPayEcbMac(slow.mak, MacBlock.of(wire)), MacBlock.mac(wire), "answer MAC (BouncyCastle)");
        PosMessage answer = PosMessage.unpack(wire);
        assertEquals("68", answer.field(39), "the gateway's upstream timeout, not the host's answer");
        Eventually.until("the gateway's reversal of the timed-out pre-auth reached the host (0400: not delayed)",
                () -> world.host.reversalsReceived().contains("RULE0004:" + preAuth.field(11)));
    }
}
