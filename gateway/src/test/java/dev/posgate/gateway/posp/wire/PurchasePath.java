package dev.posgate.gateway.posp.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.Macs;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Tdes;
import dev.posgate.gateway.platform.db.Terminal;
import dev.posgate.gateway.platform.metrics.GatewayMetrics;
import dev.posgate.gateway.spi.PosReplies;
import dev.posgate.gateway.spi.Response;
import dev.posgate.gateway.spi.ResultCode;
import dev.posgate.gateway.spi.SessionContext;
import dev.posgate.gateway.posp.upstream.MessageSealer;
import dev.posgate.gateway.posp.upstream.UpstreamException;
import dev.posgate.hsm.Hsm;
import dev.posgate.hsm.KeyType;
import dev.posgate.hsm.LmkKey;
import dev.posgate.hsm.sim.HsmCommandProcessor;
import dev.posgate.hsm.sim.InProcessHsm;
import dev.posgate.hsm.sim.Lmk;
import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.ProcessingRequirement;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PinPadKeys;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.BusinessDayZone;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import dev.posgate.gateway.posp.store.TerminalSession;
import dev.posgate.gateway.posp.upstream.HostForwarder;
import dev.posgate.gateway.posp.upstream.TrackProtection;

/**
 * The purchase path of {@link FinancialHandler} without sockets or PostgreSQL: the production
 * steps for PIN translation, host MACs and the terminal's answer, on the simulator's command
 * processor called in-process ({@link InProcessHsm}, real MAC and PIN crypto); the journal in
 * memory; a host that answers as told; a terminal (the pos-terminal client and its PIN pad with
 * known clear keys) whose requests are admitted as a signed-on terminal's whose MAC verified.
 * Everything completes on the calling thread, so a test reads each answer as soon as it asks.
 */
final class PurchasePath {
    static final String TID = "UT000001";
    static final String MID = "123456789012345";
    static final String PAN = "6222021234567890123";
    static final String PIN = "123456";

    private static final HexFormat HEX = HexFormat.of();
    // fixed clear keys (odd parity), so a PIN block under the wrong key always fails the same way
    private static final byte[] PIK = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] MAK = HEX.parseHex("1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A");
    static final byte[] ZPK = HEX.parseHex("4C4C4C4C4C4C4C4C7A7A7A7A7A7A7A7A");
    private static final byte[] ZAK = HEX.parseHex("7A7A7A7A7A7A7A7A4C4C4C4C4C4C4C4C");
    static final byte[] WRONG_PIK = HEX.parseHex("1010101010101010ABABABABABABABAB");

    /** What the host does with the next requests. */
    enum HostMode { ANSWER, TIME_OUT, NO_CONNECTION, BAD_MAC, SILENT }

    final Hsm hsm;
    final LmkKey zpk;
    final LmkKey zak;
    final TerminalSession terminal;
    final PinPad pinPad = new PinPad();
    final PosClient client;
    final List<String> events = new ArrayList<>();
    final InMemoryJournal journal = new InMemoryJournal(events);
    final List<PosMessage> reversals = new ArrayList<>();
    final Host host = new Host();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FinancialHandler.Steps steps;
    /** PIN translation fails as an HSM that went away would, when set. */
    boolean hsmDown;

    PurchasePath(Vertx vertx) {
        Lmk lmk = Lmk.generate(RandomSource.secure());
        hsm = InProcessHsm.create(new HsmCommandProcessor(lmk, false, Set.of()));
        zpk = lmk.encrypt(KeyType.ZPK, ZPK);
        zak = lmk.encrypt(KeyType.ZAK, ZAK);
        terminal = new TerminalSession(TID, MID, "SN-UT-1", Terminal.KeyScheme.TMK, Terminal.MacAlgorithm.ECB,
                Terminal.Status.ACTIVE, "000001", BusinessDayZone.today(), null, lmk.encrypt(KeyType.PIK, PIK),
                lmk.encrypt(KeyType.MAK, MAK), null, null, true, null);
        pinPad.write(1, KeyRole.PIK, PIK);
        pinPad.write(1, KeyRole.MAK, MAK);
        client = new PosClient(null, TID, MID, new PinPadKeys(pinPad, 1), false);
        TerminalMacs macs = new TerminalMacs(hsm);
        PospSettings settings = new PospSettings(new BusinessDay(ZoneId.of(BusinessDayZone.farFromMidnight())), "12345678", 1, "UT", "", 1,
                Duration.ofSeconds(1), "upstream", Duration.ofSeconds(1), Duration.ofMinutes(5), TrackProtection.Upstream.CLEAR);
        RequestAdmission signedOn = (request, next) -> macs.verify(terminal, request).compose(ok -> ok
                ? next.handle(terminal, request.field60())
                : Future.succeededFuture(PosReplies.code(request, ResultCode.MAC_ERROR.code())));
        steps = new FinancialHandler.Steps(
                signedOn,
                (t, request) -> Future.failedFuture(new AssertionError("no encrypted tracks here")),
                journal,
                PinTranslator.inHsm(hsm, () -> hsmDown
                        ? Future.failedFuture(new IllegalStateException("HSM unavailable")) : Future.succeededFuture(zpk)),
                HostForwarder.over(host, hsm, () -> Future.succeededFuture(zak)),
                reversal -> {
                    reversals.add(reversal);
                    events.add("reversal queued " + reversal.field(11));
                    return Future.succeededFuture();
                },
                ReplySealer.withMak(macs, tid -> Future.succeededFuture(ProcessingRequirement.NONE), settings),
                new DeferredWrites(vertx, 3),
                new GatewayMetrics(registry),
                settings.acquirerId(),
                () -> events.add("advice queued"));
    }

    /** The terminal's answer, its MAC checked under the terminal's MAK. */
    record Answer(PosMessage message, boolean macValid) {
        String code() {
            return message.field(39);
        }
    }

    /** Seals {@code m} as the terminal does and runs it through {@code kind}'s handler. */
    Future<Response> run(TransactionKind kind, PosMessage m) {
        PosMessage request = PosMessage.unpack(client.seal(m));
        return new FinancialHandler(kind, steps).handle(new SessionContext(1, "unit"), request);
    }

    /** {@link #run} to its answer, which must be there already: nothing on the path waits for a clock or a socket. */
    Answer send(TransactionKind kind, PosMessage m) {
        Future<Response> f = run(kind, m);
        assertTrue(f.succeeded(), () -> "answered at once: " + f.cause());
        byte[] body = f.result().body();
        PosMessage reply = PosMessage.unpack(body);
        boolean macValid = reply.has(64) && Macs.verify(MacBlock.mac(body), pinPad.mac(1, MacBlock.of(body), false));
        return new Answer(reply, macValid);
    }

    /** A purchase whose PIN block is encrypted under another key than the terminal's PIK. */
    PosMessage purchaseWithForeignPin(long amount) {
        PosMessage m = client.purchase(PAN, amount, PIN);
        return m.set(52, Tdes.encryptEcb(WRONG_PIK, PinBlocks.format0(PIN, PAN)));
    }

    double replaysRefused() {
        return registry.get("posgate_replays_refused_total").tag("window", "stan").counter().count();
    }

    /**
     * The upstream host: checks the ZAK MAC of what it gets (real crypto), reads the PIN under
     * the ZPK, approves purchases and the reversals of what it approved ({@code 25} for others),
     * answers MACed under the ZAK, or fails as {@link #mode} says. It records the journal row of
     * each request as the request arrives.
     */
    final class Host implements HostForwarder.Link {
        HostMode mode = HostMode.ANSWER;
        /** Field 55 of the host's answer to a request carrying 55 (ARPC, issuer scripts), when set. */
        byte[] iccReply;
        final List<PosMessage> received = new ArrayList<>();
        final List<Boolean> macValid = new ArrayList<>();
        final List<String> pins = new ArrayList<>();
        /** The journal row of each request when it reached the host: status and whether it held its owed reversal. */
        final List<String> rowOnArrival = new ArrayList<>();
        private final List<String> approved = new ArrayList<>();
        private int rrn;

        @Override
        public Future<PosMessage> request(String tid, String stan, String mti, byte[] body) {
            switch (mode) {
                case NO_CONNECTION:
                    return Future.failedFuture(UpstreamException.unavailable("no connection up"));
                case TIME_OUT:
                    received.add(PosMessage.unpack(body));
                    events.add("host got " + mti + " " + stan + " (no answer)");
                    return Future.failedFuture(UpstreamException.timedOut("no answer in time"));
                case SILENT:
                    received.add(PosMessage.unpack(body));
                    events.add("host got " + mti + " " + stan + " (silent)");
                    return Promise.<PosMessage>promise().future();
                default:
                    break;
            }
            PosMessage up = PosMessage.unpack(body);
            received.add(up);
            events.add("host got " + mti + " " + stan);
            InMemoryJournal.Row row = journal.row(tid, up.field60().batch(), stan, mti);
            rowOnArrival.add(row == null ? "none" : row.status + (row.reversal != null ? " with owed reversal" : ""));
            return hsm.verifyUnionPayMac(KeyType.ZAK, zak, MacBlock.of(body), MacBlock.mac(body)).compose(ok -> {
                macValid.add(ok);
                if (up.has(52)) pins.add(PinBlocks.pinFromFormat0(Tdes.decryptEcb(ZPK, up.binary(52)), up.field(2)));
                PosMessage reply = up.reply(ProcessingRequirement.NONE, 2, 3, 4, 60);
                String code;
                if (mti.equals("0400")) {
                    code = approved.contains(stan) ? "00" : "25";
                } else {
                    code = "00";
                    approved.add(stan);
                    reply.set(37, String.format("%012d", ++rrn)).set(38, "A" + String.format("%05d", rrn));
                    if (up.has(55) && iccReply != null) reply.set(55, iccReply);
                }
                reply.set(39, code);
                return MessageSealer.sealWithZak(hsm, zak, reply);
            }).map(sealed -> {
                if (mode == HostMode.BAD_MAC) sealed[sealed.length - 1] ^= 0x01;
                return PosMessage.unpack(sealed);
            });
        }
    }
}
