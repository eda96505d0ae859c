package dev.posgate.terminal.pos;

import dev.posgate.crypto.Macs;
import dev.posgate.protocol.posp.BatchTotals;
import dev.posgate.protocol.posp.BatchUpload;
import dev.posgate.protocol.posp.ElectronicSignature;
import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.protocol.posp.Sm4PinField;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.TerminalBatch;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.IccData;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.Tpdu;
import dev.posgate.terminal.net.TerminalLink;
import io.vertx.core.Future;

/**
 * The POS side of protocol.md section 2: sign-on (installs the working keys of field 62 into the
 * PIN pad or PSAM, which accept them only when they match their KCVs), purchase, balance inquiry,
 * void, the pre-authorisation family (pre-auth, cancel, completion, completion void), refund, offline settlement,
 * adjustments, reversal and settlement, each MACed with the MAK and each answer's MAC checked. One
 * request at a time over a {@link TerminalLink}; the STAN counts up per request.
 *
 * <p>Pending reversal, as a UnionPay terminal keeps it: a purchase or void sent with
 * {@link #sendReversible} that gets no answer (connection lost, timeout) stays pending, and the
 * terminal must send its 0400 ({@link #sendPendingReversal}) on its next connection before any
 * new transaction. STAN, batch, keys and the pending reversal survive {@link #relink}.
 */
public final class PosClient {
    /** TPDU of terminal → gateway messages. */
    public static final Tpdu TPDU = new Tpdu(0x0003, 0x0000);
    /** Application 60, software version 31, status 0, requirement 0, sub-version 310301. */
    public static final AppHeader HEADER = AppHeader.parse("603100310301");
    private static final byte[] PLACEHOLDER = new byte[MacBlock.MAC_LENGTH];

    /** A gateway answer: the message and whether its MAC verified (null when it carries none). */
    public record Reply(PosMessage message, Boolean macValid) {
        public String code() {
            return message.field(39);
        }

        public int processingRequirement() {
            return message.header().processingRequirement();
        }
    }

    private TerminalLink link;
    private final String tid;
    private final String mid;
    private final WorkingKeyHolder keys;
    private final boolean x919;
    private final TerminalBatch state = new TerminalBatch(1);
    /** The financial request sent with no answer yet (or never answered): to be reversed. */
    private PosMessage unanswered;

    public PosClient(TerminalLink link, String tid, String mid, WorkingKeyHolder keys, boolean x919) {
        this.link = link;
        this.tid = tid;
        this.mid = mid;
        this.keys = keys;
        this.x919 = x919;
    }

    /** The terminal dialled again: the same terminal state continues over {@code newLink}. */
    public void relink(TerminalLink newLink) {
        this.link = newLink;
    }

    /** 60.2 of the next message. */
    public String batch() {
        return state.batch();
    }

    /** The STAN the next request will carry. */
    public String nextStan() {
        return state.peekStan();
    }

    /** Whether the terminal holds working keys the gateway still accepts (as far as it knows). */
    public boolean signedOn() {
        return state.signedOn();
    }

    private String takeStan() {
        return state.nextStan();
    }

    /**
     * 0800 sign-on; on {@code 00} the keys of field 62 go to the key holder, and the reply's
     * {@code keysAccepted} says whether it took them.
     */
    public Future<SignOnResult> signOn(SignOnMode mode) {
        PosMessage m = message("0800", takeStan(), new Field60("00", state.batch(), mode.code()));
        m.set(63, "001");
        return link.request(m.pack()).map(body -> {
            PosMessage reply = PosMessage.unpack(body);
            boolean accepted = "00".equals(reply.field(39))
                    && keys.acceptWorkingKeys(WorkingKeyBlock.decode(mode, keys.algorithm(), reply.binary(62)));
            state.onSignOn(reply.field(39), accepted);
            return new SignOnResult(reply, accepted);
        });
    }

    /** Outcome of a sign-on. */
    public record SignOnResult(PosMessage reply, boolean keysAccepted) {
        public String code() {
            return reply.field(39);
        }
    }

    /** 0820 echo test (60.3 301), no MAC. */
    public Future<Reply> echo() {
        return sendRaw(message("0820", takeStan(), new Field60("00", state.batch(), "301")).pack());
    }

    /** A purchase request (not sent): PAN manually entered, PIN under the PIK when {@code pin} is given. */
    public PosMessage purchase(String pan, long amount, String pin) {
        return card("0200", "000000", "22", pan, amount, pin);
    }

    /**
     * An IC-card (EMV/PBOC) purchase: entry mode {@code 051} (chip, PIN) or {@code 052} (chip, no
     * PIN), card sequence number {@code cardSequence} (n3) in 23, the card's ICC data in 55.
     */
    public PosMessage icPurchase(String pan, long amount, String pin, byte[] iccData, String cardSequence) {
        return ic(purchase(pan, amount, pin), iccData, cardSequence);
    }

    /** Makes {@code m} (a purchase, pre-auth or balance inquiry) an IC-card one: 22 {@code 05x}, 23, 55. */
    public PosMessage ic(PosMessage m, byte[] iccData, String cardSequence) {
        m.set(22, m.has(52) ? "051" : "052");
        if (cardSequence != null) m.set(23, cardSequence);
        if (iccData != null) m.set(55, iccData);
        return m;
    }

    public PosMessage balanceInquiry(String pan, String pin) {
        return card("0200", "310000", "01", pan, -1, pin);
    }

    /** A void of the purchase {@code originalStan} of this batch. */
    public PosMessage voidOf(String pan, long amount, String originalStan) {
        PosMessage m = card("0200", "200000", "23", pan, amount, null);
        m.set(61, state.batch() + originalStan);
        return m;
    }

    /** A pre-authorisation (0100, 60.1 10, field 3 030000). */
    public PosMessage preAuth(String pan, long amount, String pin) {
        return card("0100", "030000", "10", pan, amount, pin);
    }

    /**
     * A pre-auth cancel (0100, 60.1 11, field 3 200000) of the pre-auth {@code origBatch}/{@code origStan}
     * of {@code origDate} (MMDD), quoting its auth code in 38; 61 = batch, STAN, date.
     */
    public PosMessage preAuthCancel(String pan, long amount, String origBatch, String origStan, String origDate, String authCode) {
        PosMessage m = card("0100", "200000", "11", pan, amount, null);
        return m.set(38, authCode).set(61, origBatch + origStan + origDate);
    }

    /** A pre-auth completion (0200, 60.1 20, field 3 000000) of the pre-auth named as in {@link #preAuthCancel}. */
    public PosMessage completion(String pan, long amount, String origBatch, String origStan, String origDate, String authCode,
            String pin) {
        PosMessage m = card("0200", "000000", "20", pan, amount, pin);
        return m.set(38, authCode).set(61, origBatch + origStan + origDate);
    }

    /** A completion void (0200, 60.1 21, field 3 200000) of the completion {@code origStan} of this batch (38: its auth code). */
    public PosMessage completionVoid(String pan, long amount, String origStan, String authCode) {
        PosMessage m = card("0200", "200000", "21", pan, amount, null);
        if (authCode != null) m.set(38, authCode);
        return m.set(61, state.batch() + origStan);
    }

    /**
     * A refund (0220, 60.1 25, field 3 200000) of the purchase {@code origBatch}/{@code origStan} of
     * {@code origDate} (MMDD) whose host reference was {@code origRrn}: 61 = batch, STAN, date; 37 = the reference.
     */
    public PosMessage refund(String pan, long amount, String origBatch, String origStan, String origDate, String origRrn) {
        PosMessage m = card("0220", "200000", "25", pan, amount, null);
        return m.set(37, origRrn).set(61, origBatch + origStan + origDate);
    }

    /** An offline settlement (0220, 60.1 30, field 3 000000): a sale approved offline ({@code authCode} in 38, may be null). */
    public PosMessage offlineSettlement(String pan, long amount, String authCode) {
        PosMessage m = card("0220", "000000", "30", pan, amount, null);
        if (authCode != null) m.set(38, authCode);
        return m;
    }

    /**
     * A settlement adjustment (0220, 60.1 32; {@code tip}: 34, a tip adjustment) setting the amount of
     * the offline settlement (or adjustment) {@code origStan} of this batch to {@code newAmount}.
     */
    public PosMessage adjustment(String pan, long newAmount, String origStan, boolean tip) {
        PosMessage m = card("0220", "000000", tip ? "34" : "32", pan, newAmount, null);
        return m.set(61, state.batch() + origStan);
    }

    /**
     * An IC-card script result notification (0620, 60.1 {@code 00}, 60.3 {@code 951}) for the IC
     * transaction {@code original} the host answered with {@code answer} (its 37 and 38): 2, 3, 4,
     * 22, 23, 49 as the original, 61 = its batch, STAN and date (MMDD of the answer's 13, else
     * today), 55 = {@code iccData} (the card's script results DF31 and the reversal tags).
     */
    public PosMessage scriptResult(PosMessage original, PosMessage answer, byte[] iccData) {
        return icNotice("0620", "951", original, answer, iccData);
    }

    /**
     * An IC-card TC upload (0320, 60.1 {@code 00}, 60.3 {@code 203}) of the approved IC transaction
     * {@code original}: as {@link #scriptResult}, 55 = {@code iccData} (the TC in 9F26 and its data).
     */
    public PosMessage tcUpload(PosMessage original, PosMessage answer, byte[] iccData) {
        return icNotice("0320", "203", original, answer, iccData);
    }

    private PosMessage icNotice(String mti, String code60, PosMessage original, PosMessage answer, byte[] iccData) {
        PosMessage m = message(mti, takeStan(), new Field60("00", state.batch(), code60));
        for (int f : new int[] {2, 3, 4, 22, 23, 25, 49}) if (original.has(f)) m.set(f, original.field(f));
        if (answer != null) for (int f : new int[] {37, 38}) if (answer.has(f)) m.set(f, answer.field(f));
        String date = answer != null && answer.has(13) ? answer.field(13)
                : java.time.LocalDate.now().format(java.time.format.DateTimeFormatter.ofPattern("MMdd"));
        m.set(61, original.field60().batch() + original.field(11) + date);
        return m.set(55, iccData);
    }

    /**
     * The electronic signature upload of the approved transaction {@code original} the host answered
     * with {@code answer} (docs/posp.md, "Electronic signature upload"): one 0820 (60.1 {@code 07},
     * 60.3 {@code 800}) per part of {@code jbig} cut into {@code partSize} bytes, each with 11 and
     * 60.2 = the original's STAN and batch (no STAN is taken), 2 and 4 as the original, 15 and 37 of
     * the answer, 62 = the part, and, when there is more than one part, 48 = part number n3 + count
     * n3; 55 = {@code slip} (the slip's FF00.. TLVs) on the first part. MACed when sent.
     */
    public java.util.List<PosMessage> signatureUpload(PosMessage original, PosMessage answer, byte[] jbig, byte[] slip, int partSize) {
        java.util.List<byte[]> parts = ElectronicSignature.parts(jbig, partSize);
        java.util.List<PosMessage> out = new java.util.ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            PosMessage m = message("0820", original.field(11),
                    new Field60(ElectronicSignature.TYPE_CODE, original.field60().batch(), ElectronicSignature.NETWORK_CODE));
            for (int f : new int[] {2, 4}) if (original.has(f)) m.set(f, original.field(f));
            if (answer != null) for (int f : new int[] {15, 37}) if (answer.has(f)) m.set(f, answer.field(f));
            if (parts.size() > 1) m.set(48, new ElectronicSignature.Part(i + 1, parts.size()).field48());
            if (i == 0 && slip != null) m.set(55, slip);
            m.set(62, parts.get(i));
            out.add(m);
        }
        return out;
    }

    /** The reversal of {@code original} (same STAN and amount, reason 98: no answer received). */
    public PosMessage reversalOf(PosMessage original) {
        PosMessage m = message("0400", original.field(11), original.field60());
        for (int f : new int[] {2, 3, 4, 22, 23, 25, 49}) if (original.has(f)) m.set(f, original.field(f));
        // an IC transaction's reversal: UnionPay's reversal tags of its 55 only (IccData.REVERSAL_TAGS)
        byte[] icc = original.has(55) ? IccData.reversalSubset(original.binary(55)) : null;
        if (icc != null) m.set(55, icc);
        m.set(39, "98");
        return m;
    }

    /** A settlement of this batch with the terminal's own totals (n30, see docs/posp.md). */
    public PosMessage settlement(int debitCount, long debitAmount, int creditCount, long creditAmount) {
        PosMessage m = message("0500", takeStan(), new Field60("00", state.batch(), "201"));
        m.set(48, new BatchTotals(debitCount, debitAmount, creditCount, creditAmount).field48(BatchTotals.REQUEST));
        m.set(49, "156");
        return m;
    }

    /**
     * A batch upload detail message (0320, 60.1 00, 60.3 201) of this batch: up to
     * {@link BatchUpload#MAX_ITEMS} transactions in field 48, MACed when sent.
     */
    public PosMessage batchUpload(java.util.List<BatchUpload.Item> items) {
        PosMessage m = message("0320", takeStan(), new Field60("00", state.batch(), "201"));
        return m.set(48, BatchUpload.detail(items));
    }

    /** The end of the batch upload (0320, 60.3 202) with the number of transactions uploaded. */
    public PosMessage batchUploadEnd(int total) {
        PosMessage m = message("0320", takeStan(), new Field60("00", state.batch(), "202"));
        return m.set(48, BatchUpload.end(total));
    }

    private PosMessage card(String mti, String processing, String type, String pan, long amount, String pin) {
        PosMessage m = message(mti, takeStan(), new Field60(type, state.batch(), "000"));
        m.set(2, pan).set(3, processing);
        if (amount >= 0) m.set(4, String.format("%012d", amount));
        m.set(22, pin == null ? "012" : "011").set(25, "00").set(49, "156");
        if (pin != null) {
            m.set(26, "06").set(53, keys.algorithm().field53WithPin());
            byte[] block = keys.encryptPin(pin, pan);
            // an SM4 terminal's 16-byte block: 52 zero-filled, the block in 63 (Sm4PinField)
            if (keys.algorithm() == KeyAlgorithm.SM4) Sm4PinField.write(m, block);
            else m.set(52, block);
        }
        return m;
    }

    private PosMessage message(String mti, String stan, Field60 f60) {
        PosMessage m = PosMessage.create(TPDU, HEADER, mti);
        m.set(11, stan).set(41, tid).set(42, mid).set(60, f60.format());
        return m;
    }

    /** The packed body with field 64 computed under the MAK. */
    public byte[] seal(PosMessage m) {
        m.set(64, PLACEHOLDER);
        byte[] body = m.pack();
        MacBlock.writeMac(body, keys.mac(MacBlock.of(body), x919));
        return body;
    }

    /** MACs and sends a financial message; the reply's MAC is checked when it has one. */
    public Future<Reply> send(PosMessage m) {
        return sendRaw(seal(m));
    }

    /**
     * Sends a purchase or void that must be reversed if no answer comes: it stays pending from
     * now until an answer (any code) arrives.
     */
    public Future<Reply> sendReversible(PosMessage m) {
        if (unanswered != null) throw new IllegalStateException("a reversal is pending: send it first");
        unanswered = m;
        return send(m).onSuccess(reply -> unanswered = null);
    }

    /** Whether a request went unanswered and its reversal has not been acknowledged yet. */
    public boolean hasPendingReversal() {
        return unanswered != null;
    }

    /** The unanswered request whose reversal is pending, or null. */
    public PosMessage pendingReversal() {
        return unanswered;
    }

    /**
     * Sends the 0400 of the unanswered request; any 0410 acknowledges it (the gateway then owns
     * delivering it upstream). Without an answer it stays pending for the next connection.
     */
    public Future<Reply> sendPendingReversal() {
        if (unanswered == null) return Future.failedFuture(new IllegalStateException("no reversal pending"));
        PosMessage original = unanswered;
        return send(reversalOf(original)).onSuccess(reply -> {
            if (unanswered == original) unanswered = null;
        });
    }

    /** Sends a body exactly as given (tests tamper with it first). */
    public Future<Reply> sendRaw(byte[] body) {
        return link.request(body).map(this::reply);
    }

    /**
     * The answer to a request this client built and {@link #seal sealed} but the caller sent on a
     * connection of its own (a load generator's): checks its MAC and moves the batch and sign-on
     * state exactly as {@link #send} does.
     */
    public Reply received(byte[] body) {
        return reply(body);
    }

    private Reply reply(byte[] body) {
        PosMessage m = PosMessage.unpack(body);
        state.onAnswer(m.field(39), m.header().processingRequirement());
        if (!m.has(64)) return new Reply(m, null);
        Boolean macValid = Macs.verify(MacBlock.mac(body), keys.mac(MacBlock.of(body), x919));
        if (macValid && m.mti().equals("0510")) state.onSettlement(m.field(39), m.field(48));
        if (macValid && m.mti().equals("0330") && m.field60() != null && "202".equals(m.field60().networkMgmtCode())) {
            state.onUploadEnd(m.field(39));
        }
        return new Reply(m, macValid);
    }
}
