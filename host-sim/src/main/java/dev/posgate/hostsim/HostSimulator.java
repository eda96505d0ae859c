package dev.posgate.hostsim;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Tdes;
import dev.posgate.hsm.CipherMode;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyScheme;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.PinBlockFormat;
import dev.posgate.iso8583.frame.Family;
import dev.posgate.iso8583.frame.FrameDecoder;
import dev.posgate.iso8583.frame.FrameEncoder;
import dev.posgate.iso8583.frame.FrameError;
import dev.posgate.iso8583.frame.FrameLimits;
import dev.posgate.iso8583.frame.FrameSink;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.iso8583.pos.TrackDataBlock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled upstream host: speaks the upstream format of docs/posp.md over TCP with its own
 * HSM session. It verifies the ZAK MAC ({@code A0}), checks PINs under the ZPK ({@code 55}),
 * applies {@link HostRules} (approve, decline by amount or processing code, issuer scripts, delays
 * per request MTI, else {@code latencyMs}: a Vert.x timer, never a blocked event loop), MACs its
 * answers with the ZAK. It answers every message of the POSP's transaction set (docs/posp.md,
 * "Host simulator"). It remembers approvals so voids and reversals find their original, and
 * pre-auths so cancels and completions find theirs, and applies each 0220 advice (refund, offline
 * settlement, adjustment) once by its key (terminal, batch, STAN).
 *
 * <p>PIN check: the HSM translates the block from the zone ZPK to the simulator's own
 * verification ZPK, formed from two fixed published components (allowed by a development HSM
 * only); the simulator — standing in for the issuer — knows that key and compares the PIN with
 * its card table. The gateway never sees either key in clear.
 */
public final class HostSimulator {
    private static final Logger log = LoggerFactory.getLogger(HostSimulator.class);
    private static final byte[] COMPONENT_1 = HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] COMPONENT_2 = HexFormat.of().parseHex("10101010101010101010101010101010");

    private final Vertx vertx;
    private final Hsm hsm;
    private volatile HostRules rules;
    private final LmkKey zpk;
    private final LmkKey zak;
    private final LmkKey zek;
    private final Map<String, String> tracks = new ConcurrentHashMap<>();
    private final Map<String, PosMessage> requests = new ConcurrentHashMap<>();
    private final long latencyMs;
    private final LmkKey verificationZpk;
    private final byte[] verificationKey;
    private final NetServer server;
    private final Map<String, Long> approved = new ConcurrentHashMap<>();
    private final List<String> reversals = new CopyOnWriteArrayList<>();
    /** Pre-auths approved and neither cancelled nor reversed, "tid:batch:stan" → amount. */
    private final Map<String, Long> preAuths = new ConcurrentHashMap<>();
    /** Approved cancels, "tid:batch:stan" of the cancel → "tid:batch:stan" of its pre-auth (a reversed cancel restores it). */
    private final Map<String, String> cancels = new ConcurrentHashMap<>();
    private final Map<String, Long> cancelledAmounts = new ConcurrentHashMap<>();
    private final AtomicLong rrn = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong purchasesApproved = new AtomicLong();
    private final AtomicLong reversalsApplied = new AtomicLong();
    /** Advices (0220) by their duplicate-detection key "tid:batch:stan" → the code first decided. */
    private final Map<String, String> adviceCodes = new ConcurrentHashMap<>();
    /** Refunded so far per original purchase or completion, "tid:batch:stan" → amount. */
    private final Map<String, Long> refunded = new ConcurrentHashMap<>();
    /** Offline settlements (and the adjustments replacing them) in force, "tid:batch:stan" → amount. */
    private final Map<String, Long> offline = new ConcurrentHashMap<>();
    private final AtomicLong advicesReceived = new AtomicLong();
    private volatile boolean answerAdvices = true;
    private volatile boolean answerReversals = true;
    private volatile boolean stalled;
    /** IC notices received (0620 script results, 0320 TC uploads), "tid:batch:stan:mti" → how many times. */
    private final Map<String, Integer> icNotices = new ConcurrentHashMap<>();

    private HostSimulator(Vertx vertx, Hsm hsm, HostRules rules, LmkKey zpk, LmkKey zak, LmkKey zek, long latencyMs,
            LmkKey verificationZpk) {
        this.vertx = vertx;
        this.hsm = hsm;
        this.rules = rules;
        this.zpk = zpk;
        this.zak = zak;
        this.zek = zek;
        this.latencyMs = latencyMs;
        this.verificationZpk = verificationZpk;
        this.verificationKey = Parity.adjustOdd(KeyComponents.combine(COMPONENT_1, COMPONENT_2));
        this.server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true));
    }

    /** Starts on {@code port} (0 = free port) of {@code host}. */
    public static Future<HostSimulator> start(Vertx vertx, Hsm hsm, HostRules rules, LmkKey zpk, LmkKey zak,
            long latencyMs, String host, int port) {
        return start(vertx, hsm, rules, zpk, zak, null, latencyMs, host, port);
    }

    /**
     * Starts with the zone ZEK tracks come under (upstream.track.protection = zek); {@code zek}
     * null: the host reads clear tracks only.
     */
    public static Future<HostSimulator> start(Vertx vertx, Hsm hsm, HostRules rules, LmkKey zpk, LmkKey zak, LmkKey zek,
            long latencyMs, String host, int port) {
        return hsm.formKeyFromComponents(KeyType.ZPK, KeyScheme.U, COMPONENT_1, COMPONENT_2).compose(vk -> {
            HostSimulator sim = new HostSimulator(vertx, hsm, rules, zpk, zak, zek, latencyMs, vk.key());
            sim.server.connectHandler(sim::accept);
            return sim.server.listen(port, host).map(s -> {
                log.info("upstream host simulator on {}:{}", host, s.actualPort());
                return sim;
            });
        });
    }

    public int port() {
        return server.actualPort();
    }

    /** While false, reversals are received but never answered (tests of the retry queue). */
    public void answerReversals(boolean answer) {
        this.answerReversals = answer;
    }

    /**
     * While true the host stalls: it keeps its connections open and reads every message but answers
     * none, and does not act on them (fault tests of the gateway's upstream timeout).
     */
    public void stall(boolean stall) {
        this.stalled = stall;
    }

    /** While false, advices (0220) are received but never answered (tests of the store-and-forward retries). */
    public void answerAdvices(boolean answer) {
        this.answerAdvices = answer;
    }

    /**
     * IC rule: an approved IC request (0100/0200 with 55) whose PAN is {@code pan} or whose amount
     * is {@code amount} (either may be null / negative: not a condition) gets an issuer script
     * (template 72) in its answer's 55, after the ARPC (91) every IC answer carries.
     */
    public void issuerScriptFor(String pan, long amount) {
        rules = rules.withIssuerScript(new HostRules.IssuerScript(false, pan, amount, 0x72));
    }

    /** The rules in force. */
    public HostRules rules() {
        return rules;
    }

    /** Replaces the rules; messages received from now on are decided by {@code newRules}. */
    public void rules(HostRules newRules) {
        this.rules = java.util.Objects.requireNonNull(newRules);
    }

    /** IC notices received with a valid MAC (0620 script results, 0320 TC uploads), "tid:batch:stan:mti" → count. */
    public Map<String, Integer> icNotices() {
        return Map.copyOf(icNotices);
    }

    /** Every 0220 received with a valid MAC, repeats included. */
    public long advicesReceived() {
        return advicesReceived.get();
    }

    /** Each distinct advice, "tid:batch:stan" (its duplicate-detection key) → the code it was answered with. */
    public Map<String, String> advices() {
        return Map.copyOf(adviceCodes);
    }

    /** Refunded so far per original, "tid:batch:stan" → amount. */
    public Map<String, Long> refunded() {
        return Map.copyOf(refunded);
    }

    /** Offline settlements and adjustments in force, "tid:batch:stan" → amount. */
    public Map<String, Long> offlineSettlements() {
        return Map.copyOf(offline);
    }

    /** "tid:stan" of every reversal received, in order. */
    public List<String> reversalsReceived() {
        return List.copyOf(reversals);
    }

    /** "tid:batch:stan" of every purchase approved and not reversed or voided since. */
    public Set<String> approvals() {
        return Set.copyOf(approved.keySet());
    }

    /**
     * Track 2 of each request that carried one, "tid:stan" → the track as the issuer reads it:
     * decrypted under the ZEK when 53.3 = 1, else as received.
     */
    public Map<String, String> tracksReceived() {
        return Map.copyOf(tracks);
    }

    /**
     * Each request as the host received it (MAC checked), "tid:stan:mti" → message: tests read
     * field 52 (under the ZPK) and 53 of what the POSP forwarded.
     */
    public Map<String, PosMessage> requestsReceived() {
        return Map.copyOf(requests);
    }

    /** Pre-auths approved and neither cancelled nor reversed, "tid:batch:stan" → amount. */
    public Map<String, Long> preAuths() {
        return Map.copyOf(preAuths);
    }

    public long messagesReceived() {
        return received.get();
    }

    /**
     * The host's ledger: approved purchases not reversed or voided since, "tid:batch:stan" →
     * amount (what a reconciliation compares with the terminals' approved answers).
     */
    public Map<String, Long> ledger() {
        return Map.copyOf(approved);
    }

    /** Purchases approved since start, reversed ones included. */
    public long purchasesApproved() {
        return purchasesApproved.get();
    }

    /** Reversals that found their approved original and took it off the ledger. */
    public long reversalsApplied() {
        return reversalsApplied.get();
    }

    public Future<Void> stop() {
        return server.close();
    }

    private void accept(NetSocket socket) {
        FrameDecoder decoder = new FrameDecoder(FrameLimits.defaults(), new FrameSink() {
            @Override
            public void onFrame(Family family, byte[] body) {
                received.incrementAndGet();
                if (stalled) return;
                PosMessage request;
                try {
                    request = PosMessage.unpack(body);
                } catch (RuntimeException e) {
                    log.warn("host simulator could not parse a message: {}", e.toString());
                    return;
                }
                // The delay of the rules for this request's MTI: a timer, the event loop never waits.
                long delay = rules.delayMs(request.mti(), latencyMs);
                handle(request, body).onSuccess(reply -> {
                    if (reply == null) return;
                    if (delay > 0) vertx.setTimer(delay, id -> socket.write(Buffer.buffer(FrameEncoder.encode(reply))));
                    else socket.write(Buffer.buffer(FrameEncoder.encode(reply)));
                }).onFailure(e -> log.warn("host simulator failed on a message: {}", e.toString()));
            }

            @Override
            public void onError(FrameError error) {
                socket.close();
            }
        });
        socket.handler(b -> {
            byte[] bytes = b.getBytes();
            decoder.feed(bytes, 0, bytes.length);
        });
    }

    /** The packed reply, or null for no answer. */
    private Future<byte[]> handle(PosMessage request, byte[] body) {
        return hsm.verifyUnionPayMac(KeyType.ZAK, zak, MacBlock.of(body), MacBlock.mac(body)).compose(macOk -> {
            if (!macOk) return Future.succeededFuture(request.reply(ProcessingRequirement.NONE, 60).set(39, "A0").pack());
            requests.put(request.field(41) + ":" + request.field(11) + ":" + request.mti(), request);
            return readTrack(request).compose(v -> decide(request)).compose(code -> {
                if (code == null) return Future.succeededFuture(null);
                PosMessage reply = request.reply(ProcessingRequirement.NONE, 2, 3, 4, 60);
                reply.set(37, String.format("%012d", rrn.incrementAndGet()));
                if ("00".equals(code)) reply.set(38, String.format("%06d", rrn.get() % 1_000_000));
                reply.set(39, code);
                if (request.has(55) && (request.mti().equals("0100") || request.mti().equals("0200"))) {
                    reply.set(55, issuerIcc(request, code));
                    if (request.has(23)) reply.set(23, request.field(23));
                }
                return sealed(reply);
            });
        });
    }

    /**
     * The issuer's 55: 91 (issuer authentication data: an 8-byte ARPC and the 2-character response
     * code) and, when the rules' issuer script matches an approval, an issuer script template 71 or 72
     * (script identifier 9F18, one command 86: APPLICATION BLOCK with a 4-byte MAC). The simulator
     * holds no card keys: its ARPC is the first 8 bytes of SHA-256 over the ARQC (9F26) and the
     * code, so a test can recompute it; a real issuer computes it under the card's key (EMV Book 2).
     */
    private byte[] issuerIcc(PosMessage request, String code) {
        byte[] arqc = new byte[8];
        try {
            dev.posgate.iso8583.tlv.Tlv t = dev.posgate.iso8583.tlv.BerTlv.find(
                    dev.posgate.iso8583.pos.IccData.parse(request.binary(55)), 0x9F26);
            if (t != null) arqc = t.value();
        } catch (RuntimeException e) {
            // not TLV: the gateway refuses such a 55 before it reaches a host
        }
        byte[] arpc = arpc(arqc, code);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x91, 0x0A});
        out.writeBytes(arpc);
        out.writeBytes(code.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long amount = request.has(4) ? Long.parseLong(request.field(4)) : -1;
        HostRules r = rules;
        if ("00".equals(code) && r.issuerScript(request.pan(), amount)) {
            byte[] command = HexFormat.of().parseHex("841E000004" + HexFormat.of().formatHex(arpc, 0, 4));
            out.writeBytes(dev.posgate.iso8583.tlv.BerTlv.encode(dev.posgate.iso8583.tlv.Tlv.constructed(r.issuerScript().template(),
                    dev.posgate.iso8583.tlv.Tlv.of(0x9F18, HexFormat.of().parseHex("00000001")),
                    dev.posgate.iso8583.tlv.Tlv.of(0x86, command))));
        }
        return out.toByteArray();
    }

    /** The simulator's stand-in ARPC (see {@link #issuerIcc}). */
    public static byte[] arpc(byte[] arqc, String code) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(arqc);
            d.update(code.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.Arrays.copyOf(d.digest(), 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reply packed with its ZAK MAC (UnionPay ECB), as the issuer's side computes it. */
    private Future<byte[]> sealed(PosMessage reply) {
        reply.set(64, new byte[MacBlock.MAC_LENGTH]);
        byte[] body = reply.pack();
        return hsm.generateUnionPayMac(KeyType.ZAK, zak, MacBlock.of(body, reply.dialect())).map(mac -> {
            MacBlock.writeMac(body, mac, reply.dialect());
            return body;
        });
    }

    /** The response code, or null to stay silent. */
    private Future<String> decide(PosMessage m) {
        String tid = m.field(41);
        String stan = m.field(11);
        String batch = m.field60() == null ? "000000" : m.field60().batch();
        long amount = m.has(4) ? Long.parseLong(m.field(4)) : 0;
        if (m.mti().equals("0400")) {
            reversals.add(tid + ":" + stan);
            if (!answerReversals) return Future.succeededFuture(null);
            String key = tid + ":" + batch + ":" + stan;
            boolean applied = approved.remove(key) != null || preAuths.remove(key) != null;
            String cancelled = cancels.remove(key);
            if (cancelled != null) {
                preAuths.put(cancelled, cancelledAmounts.remove(cancelled));
                applied = true;
            }
            if (applied) reversalsApplied.incrementAndGet();
            return Future.succeededFuture(applied ? "00" : "25");
        }
        String type = m.field60() == null ? "" : m.field60().typeCode();
        HostRules r = rules;
        if (m.mti().equals("0220")) {
            advicesReceived.incrementAndGet();
            return Future.succeededFuture(answerAdvices ? advice(m, type, tid + ":" + batch + ":" + stan, amount, r) : null);
        }
        // A decline per processing code (and 60.1) comes before any other rule and changes no state.
        boolean authorisationMti = m.mti().equals("0100") || m.mti().equals("0200");
        String declined = authorisationMti ? r.declineFor(m.field(3), type) : null;
        if (declined != null) return Future.succeededFuture(declined);
        if (m.mti().equals("0100")) return preAuthFamily(m, type, tid + ":" + batch + ":" + stan, amount, r);
        if (m.mti().equals("0200") && "20".equals(type) && !preAuths.containsKey(originalKey(m))) {
            return Future.succeededFuture("25");
        }
        if (m.mti().equals("0620") || (m.mti().equals("0320") && "203".equals(m.field60() == null ? null : m.field60().networkMgmtCode()))) {
            icNotices.merge(tid + ":" + batch + ":" + stan + ":" + m.mti(), 1, Integer::sum);
            return Future.succeededFuture("00");
        }
        // 0500: the POSP reconciled the batch (flag in field 48); the host acknowledges it.
        if (!m.mti().equals("0200")) return Future.succeededFuture("00");
        String processing = m.field(3);
        if ("200000".equals(processing)) {
            String orig = m.has(61) && m.field(61).length() >= 12 ? m.field(61).substring(0, 12) : "";
            return Future.succeededFuture(approved.remove(tid + ":" + orig.substring(0, Math.min(6, orig.length()))
                    + ":" + orig.substring(Math.min(6, orig.length()))) != null ? "00" : "25");
        }
        if ("000000".equals(processing) && r.silent(amount)) return Future.succeededFuture(null);
        return pinCheck(m, r).map(pinOk -> {
            String code = !pinOk ? "55" : "000000".equals(processing) ? r.purchase(amount) : "00";
            if ("00".equals(code) && "000000".equals(processing)) {
                approved.put(tid + ":" + batch + ":" + stan, amount);
                purchasesApproved.incrementAndGet();
            }
            return code;
        });
    }

    /**
     * 0220 advices, applied once per key "tid:batch:stan" (a repeat — the gateway's store and
     * forward delivers at least once — gets the first answer again and changes nothing): a refund
     * (60.1 25) must name a purchase or completion on the ledger ({@code 25}) and, with the refunds
     * before it, stay within its amount ({@code 61}); an offline settlement (30) of 0 is {@code 13};
     * an adjustment (32, 34) replaces the offline settlement its 61 names ({@code 25} when none).
     */
    private synchronized String advice(PosMessage m, String type, String key, long amount, HostRules r) {
        String known = adviceCodes.get(key);
        if (known != null) return known;
        String orig = originalKey(m);
        String declined = r.declineFor(m.field(3), type);
        String code = declined != null ? declined : switch (type) {
            case "25" -> {
                Long sale = approved.get(orig);
                long before = refunded.getOrDefault(orig, 0L);
                if (sale == null) yield "25";
                if (amount <= 0 || before + amount > sale) yield amount <= 0 ? "13" : "61";
                refunded.put(orig, before + amount);
                yield "00";
            }
            case "30" -> {
                if (amount <= 0) yield "13";
                offline.put(key, amount);
                yield "00";
            }
            case "32", "34" -> {
                if (offline.remove(orig) == null) yield "25";
                offline.put(key, amount);
                yield "00";
            }
            default -> "12";
        };
        adviceCodes.put(key, code);
        return code;
    }

    /** "tid:batch:stan" of the original named by 61 (batch, STAN). */
    private static String originalKey(PosMessage m) {
        String f61 = m.has(61) && m.field(61).length() >= 12 ? m.field(61) : "000000000000";
        return m.field(41) + ":" + f61.substring(0, 6) + ":" + f61.substring(6, 12);
    }

    /**
     * 0100: a pre-auth (60.1 10) is decided as a purchase (PIN, amount rules, silent on 999) and
     * remembered; a cancel (11) removes the pre-auth its 61 names ({@code 25} when none).
     * A completion (0200, 20) must name a pre-auth still held and is then decided as a purchase
     * (on the ledger); a completion void (21) is a void of it.
     */
    private Future<String> preAuthFamily(PosMessage m, String type, String key, long amount, HostRules r) {
        if ("11".equals(type)) {
            String orig = originalKey(m);
            Long held = preAuths.remove(orig);
            if (held == null) return Future.succeededFuture("25");
            cancels.put(key, orig);
            cancelledAmounts.put(orig, held);
            return Future.succeededFuture("00");
        }
        if (r.silent(amount)) return Future.succeededFuture(null);
        return pinCheck(m, r).map(pinOk -> {
            String code = !pinOk ? "55" : r.purchase(amount);
            if ("00".equals(code)) preAuths.put(key, amount);
            return code;
        });
    }

    /** Records track 2 as the issuer reads it: the ZEK block decrypted in the host's HSM when 53.3 = 1. */
    private Future<Void> readTrack(PosMessage m) {
        if (!m.has(35)) return Future.succeededFuture();
        String key = m.field(41) + ":" + m.field(11);
        if (!m.trackEncrypted()) {
            tracks.put(key, m.field(35));
            return Future.succeededFuture();
        }
        byte[] packed = m.packedDigits(35);
        if (zek == null || packed.length < TrackDataBlock.MIN_PACKED) return Future.succeededFuture();
        return hsm.decryptData(KeyType.ZEK, zek, CipherMode.ECB, null, TrackDataBlock.of(packed))
                .map(clear -> {
                    tracks.put(key, TrackDataBlock.text(TrackDataBlock.replaced(packed, clear), m.field(35).length()));
                    return (Void) null;
                })
                .otherwise((Void) null);
    }

    private Future<Boolean> pinCheck(PosMessage m, HostRules r) {
        if (!m.has(52)) return Future.succeededFuture(!r.pinRequired());
        String pan = m.field(2);
        return hsm.translatePinZpkToZpk(zpk, verificationZpk, m.binary(52), PinBlockFormat.ISO_0, PinBlockFormat.ISO_0, pan)
                .map(t -> r.pinMatches(pan, PinBlocks.pinFromFormat0(Tdes.decryptEcb(verificationKey, t.pinBlock()), pan)))
                .recover(e -> Future.succeededFuture(false));
    }
}
