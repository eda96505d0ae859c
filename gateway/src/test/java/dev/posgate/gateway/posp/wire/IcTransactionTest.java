package dev.posgate.gateway.posp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.posp.store.JournalStatus;
import dev.posgate.gateway.posp.wire.PurchasePath.Answer;
import dev.posgate.gateway.posp.wire.PurchasePath.HostMode;
import dev.posgate.iso8583.pos.IccData;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import io.vertx.core.Vertx;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IC-card transactions on the purchase path (issue 18 item 4): field 55 and 23, handler level. */
class IcTransactionTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** A terminal's 55 with the PAN (5A) and track 2 equivalent (57) some cards expose, and the reversal tags. */
    static final byte[] ICC = HEX.parseHex("9F2608A1B2C3D4E5F60718" + "9F2701809F101307010103A0A000010A0100000000006F0E35CF"
            + "9F3704A1B2C3D4" + "9F36020042" + "950500000480009A032612039C0100" + "9F02060000000012345F2A020156"
            + "5A0A6222021234567890123F" + "57136222021234567890123D29122011234567800F" + "9F1E083132333435363738"
            + "DF3105200000000082027C00");
    /** The host's 55: ARPC (91) and an issuer script template 2 (72) with one command (86). */
    static final byte[] HOST_ICC = HEX.parseHex("910A1122334455667788303072" + "10" + "9F180400000001" + "8607" + "84240000040000");

    private static Vertx vertx;
    private PurchasePath path;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    @BeforeEach
    void newPath() {
        path = new PurchasePath(vertx);
        path.host.iccReply = HOST_ICC;
    }

    @Test
    void theFixturesAreBerTlv() {
        assertTrue(IccData.wellFormed(ICC));
        assertTrue(IccData.wellFormed(HOST_ICC));
        Tlv script = BerTlv.find(IccData.parse(HOST_ICC), IccData.SCRIPT_TEMPLATE_2);
        assertNotNull(script.find(0x86), "the script template is constructed");
    }

    @Test
    void anIcPurchaseForwards55And23AndReturnsTheHostsArpcAndScriptMaced() {
        PosMessage purchase = path.client.icPurchase(PurchasePath.PAN, 12_345, PurchasePath.PIN, ICC, "001");

        Answer a = path.send(TransactionKind.PURCHASE, purchase);

        assertEquals("00", a.code());
        assertTrue(a.macValid(), "MACed with the terminal's MAK, 55 included");
        assertArrayEquals(HOST_ICC, a.message().binary(55), "the host's 55 back to the terminal as sent");
        assertEquals("001", a.message().field(23));
        PosMessage up = path.host.received.get(0);
        assertEquals(List.of(true), path.host.macValid, "the host's copy MACed with the ZAK, 55 included");
        assertArrayEquals(ICC, up.binary(55), "the terminal's 55 reaches the host as sent");
        assertEquals("001", up.field(23));
        assertEquals("051", up.field(22));
    }

    @Test
    void aBalanceInquiryAndAPreAuthForward55Too() {
        PosMessage balance = path.client.ic(path.client.balanceInquiry(PurchasePath.PAN, PurchasePath.PIN), ICC, "002");
        assertEquals("00", path.send(TransactionKind.BALANCE, balance).code());
        PosMessage preAuth = path.client.ic(path.client.preAuth(PurchasePath.PAN, 5_000, PurchasePath.PIN), ICC, "002");
        Answer a = path.send(TransactionKind.PREAUTH, preAuth);
        assertEquals("00", a.code());
        assertArrayEquals(HOST_ICC, a.message().binary(55));
        assertArrayEquals(ICC, path.host.received.get(0).binary(55));
        assertArrayEquals(ICC, path.host.received.get(1).binary(55));
        assertEquals("002", path.host.received.get(1).field(23));
    }

    @Test
    void malformed55IsAFormatErrorMacedAndNothingIsForwarded() {
        for (String bad : new String[] {"9F2608A1B2", "9F", "9F2680", "DF7F9F0101"}) {
            PosMessage purchase = path.client.icPurchase(PurchasePath.PAN, 1_000, PurchasePath.PIN,
                    HEX.parseHex(bad), "001");
            Answer a = path.send(TransactionKind.PURCHASE, purchase);
            assertEquals("30", a.code(), bad);
            assertTrue(a.macValid(), "answered MACed: the MAC verified");
            assertEquals(JournalStatus.FAILED, path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0200").status);
        }
        assertTrue(path.host.received.isEmpty(), "nothing forwarded");
        assertTrue(path.reversals.isEmpty());
    }

    @Test
    void aTimedOutIcPurchaseIsReversedWithTheReversalTagsOfIts55AndNoCardholderData() {
        path.host.mode = HostMode.TIME_OUT;
        PosMessage purchase = path.client.icPurchase(PurchasePath.PAN, 900, PurchasePath.PIN, ICC, "001");

        Answer a = path.send(TransactionKind.PURCHASE, purchase);

        assertEquals("68", a.code());
        PosMessage reversal = path.reversals.get(0);
        assertEquals("0400", reversal.mti());
        assertEquals("001", reversal.field(23));
        List<Tlv> tags = IccData.parse(reversal.binary(55));
        assertEquals(List.of(0x95, 0x9F10, 0x9F1E, 0x9F36, 0xDF31), tags.stream().map(Tlv::tag).toList());
        assertArrayEquals(HEX.parseHex("0000048000"), BerTlv.find(tags, 0x95).value());
        assertArrayEquals(HEX.parseHex("0042"), BerTlv.find(tags, 0x9F36).value());
        assertFalse(reversal.has(2));
        assertNull(BerTlv.find(tags, 0x5A));
        assertNull(BerTlv.find(tags, 0x57));
        // what the journal holds for a crash (the owed reversal) is the same subset
        String hex = HEX.formatHex(IccData.reversalSubset(ICC));
        assertFalse(hex.contains("6222021234567890"), "no PAN in the stored reversal's 55");
    }

    @Test
    void theOwedReversalStoredWithTheRowCarriesNoPanOrTrack() {
        path.host.mode = HostMode.SILENT;
        PosMessage purchase = path.client.icPurchase(PurchasePath.PAN, 900, PurchasePath.PIN, ICC, "001");
        path.run(TransactionKind.PURCHASE, purchase);
        byte[] owed = path.journal.row(PurchasePath.TID, "000001", purchase.field(11), "0200").reversal;
        assertNotNull(owed, "the row holds its owed reversal while the host is silent");
        PosMessage reversal = PosMessage.unpack(owed);
        assertEquals("001", reversal.field(23));
        assertArrayEquals(IccData.reversalSubset(ICC), reversal.binary(55));
        String hex = HEX.formatHex(owed);
        assertFalse(hex.contains("6222021234567890"), "no PAN (field 2, 5A or 57) in the stored reversal");
    }

    @Test
    void fallbackEntryModesAreForwardedAsSent() {
        assertTrue(IccData.fallback("801"));
        assertTrue(IccData.fallback("902"));
        assertFalse(IccData.fallback("051"));
        PosMessage purchase = path.client.purchase(PurchasePath.PAN, 1_000, PurchasePath.PIN).set(22, "801").set(23, "001");
        assertEquals("00", path.send(TransactionKind.PURCHASE, purchase).code());
        assertEquals("801", path.host.received.get(0).field(22));
        assertFalse(path.host.received.get(0).has(55));
    }

    /** What the card reports after running the issuer's script: DF31 (script results) and the reversal tags. */
    static final byte[] SCRIPT_RESULT = HEX.parseHex("DF3105200000000195050000048000" + "9F36020043");
    /** What a TC upload carries: the TC in 9F26 (cryptogram information 9F27 = 40, a TC) and its data. */
    static final byte[] TC = HEX.parseHex("9F2608C1D2E3F4A5B6C7D8" + "9F270140" + "9F36020042" + "950500000480009F1E083132333435363738");

    @Test
    void aScriptResultNotificationIsAcceptedMacedAndQueuedForTheHostNotSentInline() {
        PosMessage purchase = path.client.icPurchase(PurchasePath.PAN, 12_345, PurchasePath.PIN, ICC, "001");
        Answer sale = path.send(TransactionKind.PURCHASE, purchase);
        PosMessage notice = path.client.scriptResult(purchase, sale.message(), SCRIPT_RESULT);

        Answer a = path.send(TransactionKind.SCRIPT_RESULT, notice);

        assertEquals("0630", a.message().mti());
        assertEquals("00", a.code());
        assertTrue(a.macValid());
        assertEquals(1, path.host.received.size(), "only the purchase went inline: the notice waits in the advice queue");
        assertTrue(path.events.contains("advice queued"));
        InMemoryJournal.Row row = path.journal.row(PurchasePath.TID, "000001", notice.field(11), "0620");
        assertEquals(JournalStatus.APPROVED, row.status);
        PosMessage stored = PosMessage.unpack(row.advice);
        assertEquals("0620", stored.mti());
        assertArrayEquals(SCRIPT_RESULT, stored.binary(55));
        assertEquals(purchase.field60().batch() + purchase.field(11), stored.field(61).substring(0, 12));
        assertFalse(stored.has(52));
    }

    @Test
    void aTcUploadIsAcceptedAs0330AndQueued() {
        PosMessage purchase = path.client.icPurchase(PurchasePath.PAN, 12_345, PurchasePath.PIN, ICC, "001");
        Answer sale = path.send(TransactionKind.PURCHASE, purchase);
        PosMessage upload = path.client.tcUpload(purchase, sale.message(), TC);
        assertEquals("203", upload.field60().networkMgmtCode());

        Answer a = path.send(TransactionKind.TC_UPLOAD, upload);

        assertEquals("0330", a.message().mti());
        assertEquals("00", a.code());
        assertTrue(a.macValid());
        InMemoryJournal.Row row = path.journal.row(PurchasePath.TID, "000001", upload.field(11), "0320");
        assertArrayEquals(TC, PosMessage.unpack(row.advice).binary(55));
        assertEquals(PurchasePath.PAN, PosMessage.unpack(row.advice).field(2), "the host gets the card (the stored copy is encrypted)");
    }

    @Test
    void anIcNoticeWithout55IsAFormatError() {
        PosMessage purchase = path.client.icPurchase(PurchasePath.PAN, 12_345, PurchasePath.PIN, ICC, "001");
        Answer sale = path.send(TransactionKind.PURCHASE, purchase);
        PosMessage notice = path.client.scriptResult(purchase, sale.message(), SCRIPT_RESULT).unset(55);
        Answer a = path.send(TransactionKind.SCRIPT_RESULT, notice);
        assertEquals("30", a.code());
        assertTrue(a.macValid());
        assertFalse(path.events.contains("advice queued"));
    }
}
