package dev.posgate.load.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.iso8583.pos.Tpdu;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.posp.BatchTotals;
import dev.posgate.protocol.posp.BatchUpload;
import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.testing.TdesReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MixedTerminal} against a stand-in gateway written here: answers built from its requests
 * and MACed with BouncyCastle's DESede (the UnionPay ECB MAC computed step by step), so the
 * harness's flows and checks are pinned without a gateway: the pre-auth's completion and the
 * sale's refund name their originals, the settlement claims a phantom sale, the upload carries the
 * batch's transactions 8 per message, and a bad MAC, a wrong ARPC or a balanced settlement fail.
 */
class MixedTerminalTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private byte[] mak;
    private MixedTerminal t;
    private int rrn;

    @BeforeEach
    void signOn() {
        RandomSource random = RandomSource.secure();
        byte[] tmk = Parity.adjustOdd(random.next(16));
        byte[] pik = Parity.adjustOdd(random.next(16));
        mak = Parity.adjustOdd(random.next(16));
        VirtualTerminal vt = new VirtualTerminal(3, tmk, KeyAlgorithm.TDES);
        t = new MixedTerminal(vt, true);
        byte[] f62 = WorkingKeyBlock.of(SignOnMode.DOUBLE, KeyAlgorithm.TDES, List.of(
                new WorkingKeyBlock.Entry(TdesReference.ecbEncrypt(tmk, pik), Kcv.of(pik, 4)),
                new WorkingKeyBlock.Entry(TdesReference.ecbEncrypt(tmk, mak), Kcv.of(mak, 4)))).encode();
        PosMessage reply = PosMessage.create(new Tpdu(0x0000, 0x0003), AppHeader.parse("603100310301"), "0810");
        reply.set(11, "000001").set(39, "00").set(62, f62);
        vt.acceptSignOn(PosMessage.unpack(reply.pack()));
    }

    /** The stand-in gateway's answer: 39 = 00, 37, 38, plus what {@code more} sets, MACed under the MAK. */
    private PosMessage answer(byte[] request, Function<PosMessage, PosMessage> more) {
        PosMessage req = PosMessage.unpack(request);
        assertTrue(Arrays.equals(TdesReference.unionPayEcbMac(mak, MacBlock.of(request)), MacBlock.mac(request)), "request MAC (BouncyCastle)");
        PosMessage r = req.reply(ProcessingRequirement.NONE, 2, 3, 4, 48, 60);
        r.set(37, String.format("%012d", ++rrn)).set(38, String.format("%06d", rrn)).set(39, "00");
        r = more.apply(r);
        r.set(64, new byte[MacBlock.MAC_LENGTH]);
        byte[] body = r.pack();
        MacBlock.writeMac(body, TdesReference.unionPayEcbMac(mak, MacBlock.of(body)));
        return PosMessage.unpack(body);
    }

    private PosMessage answer(byte[] request) {
        return answer(request, r -> r);
    }

    @Test
    void aPreAuthIsCompletedAndASaleRefundedByTheirReferences() {
        byte[] pa = t.preAuth();
        PosMessage preAuth = PosMessage.unpack(pa);
        t.answered(answer(pa));
        PosMessage completion = PosMessage.unpack(t.completion());
        assertEquals("20", completion.field60().typeCode());
        assertEquals(preAuth.field(4), completion.field(4));
        assertEquals(preAuth.field60().batch() + preAuth.field(11), completion.field(61).substring(0, 12));
        assertEquals("000001", completion.field(38), "the pre-auth's auth code");

        byte[] s = t.sale();
        PosMessage sale = PosMessage.unpack(s);
        PosMessage saleAnswer = answer(s);
        t.answered(saleAnswer);
        PosMessage refund = PosMessage.unpack(t.refund());
        assertEquals("0220", refund.mti());
        assertEquals("25", refund.field60().typeCode());
        assertEquals(Long.parseLong(sale.field(4)) / 2, Long.parseLong(refund.field(4)));
        assertEquals(saleAnswer.field(37), refund.field(37));
        assertEquals(sale.field60().batch() + sale.field(11), refund.field(61).substring(0, 12));
    }

    @Test
    void theSettlementClaimsAPhantomSaleThenTheBatchIsUploadedEightAtATimeAndANewOneBegins() {
        List<Long> amounts = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            byte[] p = t.purchase();
            amounts.add(Long.parseLong(PosMessage.unpack(p).field(4)));
            t.answered(answer(p));
        }
        byte[] s = t.sale();
        t.answered(answer(s));
        long sale = Long.parseLong(PosMessage.unpack(s).field(4));
        byte[] rf = t.refund();
        t.answered(answer(rf));
        long refund = sale / 2;

        PosMessage settlement = PosMessage.unpack(t.settlement());
        BatchTotals claimed = BatchTotals.parse(settlement.field(48));
        assertEquals(11, claimed.debitCount(), "10 sales and the phantom");
        assertEquals(amounts.stream().mapToLong(Long::longValue).sum() + sale + 1, claimed.debitAmount());
        assertEquals(1, claimed.creditCount());
        assertEquals(refund, claimed.creditAmount());
        String batch = settlement.field60().batch();

        t.answered(answer(t.settlement(), r -> r.set(48, claimed.field48(BatchTotals.REQUEST).substring(0, 30) + "2")));
        assertTrue(t.uploading());
        List<BatchUpload.Item> items = new ArrayList<>();
        int messages = 0;
        while (t.uploading()) {
            byte[] d = t.uploadDetail();
            PosMessage detail = PosMessage.unpack(d);
            assertEquals("201", detail.field60().networkMgmtCode());
            items.addAll(BatchUpload.parseDetail(detail.field(48)));
            t.answered(answer(d));
            messages++;
        }
        assertEquals(2, messages, "11 transactions, 8 per message");
        assertEquals(11, items.size());
        assertEquals(List.of(BatchUpload.DOMESTIC_CARD), items.stream().map(BatchUpload.Item::cardClass).distinct().toList(),
                "every item carries the card class (field 48 of 0320/201), not the transaction type");
        PosMessage end = PosMessage.unpack(t.uploadEnd());
        assertEquals("0011", end.field(48));
        assertThrows(IllegalStateException.class, () -> t.answered(answer(t.uploadEnd(), r -> r.set(48, "0010"))),
                "the gateway holding another count is a failure");
        t.answered(answer(t.uploadEnd(), r -> r.set(48, "0011")));
        PosMessage next = PosMessage.unpack(t.purchase());
        assertFalse(batch.equals(next.field60().batch()), "a new batch after the accepted end");
        assertEquals(1, BatchTotals.parse(PosMessage.unpack(t.settlement()).field(48)).debitCount(), "only the phantom: the batch was emptied");
    }

    @Test
    void aBalancedSettlementABadMacAndAWrongArpcAreFailures() {
        byte[] st = t.settlement();
        assertThrows(IllegalStateException.class,
                () -> t.answered(answer(st, r -> r.set(48, PosMessage.unpack(st).field(48).substring(0, 30) + "1"))));

        PosMessage good = answer(t.purchase());
        byte[] tampered = good.wire().clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> t.answered(PosMessage.unpack(tampered)));

        byte[] ic = t.icPurchase();
        assertNotNull(PosMessage.unpack(ic).binary(55));
        assertThrows(IllegalStateException.class, () -> t.answered(answer(ic, r -> r.set(55, issuer(new byte[8], true)))));
        byte[] ic2 = t.icPurchase();
        assertThrows(IllegalStateException.class, () -> t.answered(answer(ic2, r -> r.set(55, issuer(arpc(), false)))),
                "the host was told to send a script with every IC approval");
        byte[] ic3 = t.icPurchase();
        t.answered(answer(ic3, r -> r.set(55, issuer(arpc(), true))));
    }

    /** 91 = ARPC ‖ "00", then a script 72 when {@code script}. */
    private static byte[] issuer(byte[] arpc, boolean script) {
        byte[] code = "00".getBytes(StandardCharsets.US_ASCII);
        byte[] f91 = Arrays.copyOf(arpc, 10);
        System.arraycopy(code, 0, f91, 8, 2);
        List<Tlv> tags = new ArrayList<>(List.of(Tlv.of(0x91, f91)));
        if (script) tags.add(Tlv.constructed(0x72, Tlv.of(0x9F18, HEX.parseHex("00000001"))));
        return BerTlv.encode(tags);
    }

    /** The host simulator's stand-in ARPC over the card's ARQC A1B2C3D4E5F60718 and 00, computed here. */
    private static byte[] arpc() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(HEX.parseHex("A1B2C3D4E5F60718"));
            d.update("00".getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(d.digest(), 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
