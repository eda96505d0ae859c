package dev.posgate.load.gatling;

import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.posp.BatchTotals;
import dev.posgate.protocol.posp.BatchUpload;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.BusinessDayZone;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One virtual terminal of {@link MixedTrafficSimulation}: a {@link VirtualTerminal} (TMK, sign-on,
 * working keys, answer MACs) whose messages pos-terminal's {@link PosClient} builds and MACs (the
 * same builders as the gateway's end-to-end tests: purchase, IC purchase, balance, pre-auth,
 * completion, refund, settlement, batch upload), sent on the virtual user's Gatling connection.
 * It keeps what the next step of a flow needs (the pre-auth to complete, the sale to refund) and
 * the open batch's approved transactions, which its settlement claims one phantom sale more than
 * (so the gateway answers "out of balance" and the terminal uploads its batch, then ends the
 * upload). {@link #answered} checks every answer: MTI and STAN (by the request action), 39 =
 * {@code 00}, the MAC under the MAK, and what the kind needs (38, the IC answer's 55, field 48).
 * Owned by one virtual user, so used from one event loop at a time.
 */
final class MixedTerminal {
    static final String PIN = VirtualTerminal.PIN;
    static final String PAN = VirtualTerminal.PAN;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** The card's ARQC (9F26) in {@link #ICC}. */
    private static final byte[] ARQC = HEX.parseHex("A1B2C3D4E5F60718");
    /** An IC card's 55 (as IcCardEndToEndIT's): ARQC 9F26, 9F27, IAD 9F10, 9F37, ATC 9F36, TVR 95, 9A, 9C, 9F02, 5F2A, 9F1E. */
    static final byte[] ICC = HEX.parseHex("9F2608" + HEX.formatHex(ARQC) + "9F270180" + "9F101307010103A0A000010A0100000000006F0E35CF"
            + "9F3704A1B2C3D4" + "9F36020042" + "950500000480009A032612039C0100" + "9F02060000000012345F2A020156"
            + "9F1E083132333435363738");

    private final VirtualTerminal terminal;
    private final PosClient client;
    private final boolean expectScripts;
    private PosMessage request;
    private PosMessage preAuth;
    private PosMessage preAuthAnswer;
    private PosMessage sale;
    private PosMessage saleAnswer;
    /** Approved debits and credits of the open batch, as the batch upload lists them. */
    private final List<BatchUpload.Item> batch = new ArrayList<>();
    private int debits;
    private long debitAmount;
    private int credits;
    private long creditAmount;
    private final Deque<List<BatchUpload.Item>> upload = new ArrayDeque<>();
    private int uploaded;

    /** {@code expectScripts}: the host gives every approved IC purchase an issuer script (upstream-sim --issuer-script all). */
    MixedTerminal(VirtualTerminal terminal, boolean expectScripts) {
        this.terminal = terminal;
        this.client = new PosClient(null, terminal.tid(), VirtualTerminal.MID, terminal.keys(), false);
        this.expectScripts = expectScripts;
    }

    VirtualTerminal terminal() {
        return terminal;
    }

    /** 100..9 000 minor units, never ending in 999 (the host simulator leaves those unanswered). */
    static long amount() {
        long a = ThreadLocalRandom.current().nextLong(100, 9_001);
        return a % 1000 == 999 ? a - 1 : a;
    }

    byte[] purchase() {
        return sealed(client.purchase(PAN, amount(), PIN));
    }

    byte[] icPurchase() {
        return sealed(client.icPurchase(PAN, amount(), PIN, ICC, "001"));
    }

    byte[] balance() {
        return sealed(client.balanceInquiry(PAN, PIN));
    }

    byte[] preAuth() {
        preAuth = client.preAuth(PAN, amount(), PIN);
        return sealed(preAuth);
    }

    /** The completion of the last pre-auth, for its whole amount. */
    byte[] completion() {
        return sealed(client.completion(PAN, Long.parseLong(preAuth.field(4)), preAuth.field60().batch(), preAuth.field(11), today(),
                preAuthAnswer.field(38), null));
    }

    /** The sale a refund then refunds. */
    byte[] sale() {
        sale = client.purchase(PAN, amount(), PIN);
        return sealed(sale);
    }

    /** A partial refund (half) of the last sale. */
    byte[] refund() {
        return sealed(client.refund(PAN, Long.parseLong(sale.field(4)) / 2, sale.field60().batch(), sale.field(11), today(),
                saleAnswer.field(37)));
    }

    /** The settlement of the open batch, claiming one phantom sale of 1 more than it holds. */
    byte[] settlement() {
        return sealed(client.settlement(debits + 1, debitAmount + 1, credits, creditAmount));
    }

    boolean uploading() {
        return !upload.isEmpty();
    }

    byte[] uploadDetail() {
        return sealed(client.batchUpload(upload.peek()));
    }

    byte[] uploadEnd() {
        return sealed(client.batchUploadEnd(uploaded));
    }

    private byte[] sealed(PosMessage m) {
        request = m;
        return client.seal(m);
    }

    /**
     * Checks the answer to the last request (39 = 00 is the request action's check; here the MAC
     * and each kind's own fields) and records its effect; throws (a KO) on anything else.
     */
    void answered(PosMessage reply) {
        terminal.verifyMac(reply);
        PosClient.Reply r = client.received(reply.wire());
        if (!Boolean.TRUE.equals(r.macValid())) throw new IllegalStateException("answer MAC refused by the terminal");
        String type = request.field60().typeCode();
        switch (request.mti() + "/" + type) {
            case "0200/22" -> {
                if (request.has(55)) checkIssuerData(reply);
                debit();
                if (request == sale) saleAnswer = reply;
            }
            case "0100/10" -> {
                if (!reply.has(38)) throw new IllegalStateException("pre-auth approved without an auth code (38)");
                preAuthAnswer = reply;
            }
            case "0200/20" -> debit();
            case "0220/25" -> {
                long amount = Long.parseLong(request.field(4));
                credits++;
                creditAmount += amount;
                batch.add(new BatchUpload.Item(BatchUpload.DOMESTIC_CARD, request.field(11), PAN, amount));
            }
            case "0200/01" -> {
                // balance: nothing to keep
            }
            case "0500/00" -> {
                if (BatchTotals.flagOf(reply.field(48)) != BatchTotals.OUT_OF_BALANCE) {
                    throw new IllegalStateException("settlement with a phantom sale answered in balance: " + reply.field(48));
                }
                uploaded = 0;
                for (int i = 0; i < batch.size(); i += BatchUpload.MAX_ITEMS) {
                    upload.add(List.copyOf(batch.subList(i, Math.min(batch.size(), i + BatchUpload.MAX_ITEMS))));
                }
            }
            case "0320/00" -> {
                if ("202".equals(request.field60().networkMgmtCode())) {
                    if (Integer.parseInt(reply.field(48)) != uploaded) {
                        throw new IllegalStateException("end of upload: the gateway holds " + reply.field(48) + ", sent " + uploaded);
                    }
                    batch.clear();
                    debits = 0;
                    debitAmount = 0;
                    credits = 0;
                    creditAmount = 0;
                } else {
                    uploaded += upload.poll().size();
                }
            }
            default -> throw new IllegalStateException("no check for " + request.mti() + "/" + type);
        }
    }

    private void debit() {
        long amount = Long.parseLong(request.field(4));
        debits++;
        debitAmount += amount;
        batch.add(new BatchUpload.Item(BatchUpload.DOMESTIC_CARD, request.field(11), PAN, amount));
    }

    /** The host's 55: 91 = ARPC (the simulator's SHA-256 stand-in, recomputed here) + 00, and the script when expected. */
    private void checkIssuerData(PosMessage reply) {
        if (!reply.has(55)) throw new IllegalStateException("IC answer without 55");
        List<Tlv> tags = BerTlv.decodeEmv(reply.binary(55));
        Tlv arpc = BerTlv.find(tags, 0x91);
        if (arpc == null || arpc.value().length != 10) throw new IllegalStateException("IC answer without issuer authentication data (91)");
        if (!Arrays.equals(Arrays.copyOf(arpc.value(), 8), arpc("00"))) throw new IllegalStateException("ARPC does not match the ARQC");
        if (expectScripts && BerTlv.find(tags, 0x72) == null) throw new IllegalStateException("IC answer without the issuer script (72)");
    }

    private static byte[] arpc(String code) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(ARQC);
            d.update(code.getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(d.digest(), 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String today() {
        return BusinessDayZone.todayMmdd();
    }
}
