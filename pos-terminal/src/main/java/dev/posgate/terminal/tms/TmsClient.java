package dev.posgate.terminal.tms;

import dev.posgate.crypto.RandomSource;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.terminal.net.TerminalLink;
import dev.posgate.terminal.pinpad.KeyRole;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.protocol.tms.TmsCipher;
import dev.posgate.protocol.tms.download.FrameReply;
import dev.posgate.protocol.tms.download.FrameRequest;
import dev.posgate.protocol.tms.download.InstallReport;
import dev.posgate.protocol.tms.download.PackageEntry;
import dev.posgate.protocol.tms.download.SoftSeal;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.H1Response;
import dev.posgate.protocol.tms.handshake.H2Request;
import dev.posgate.protocol.tms.handshake.H2Response;
import dev.posgate.protocol.tms.handshake.KeyMessageEntry;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import dev.posgate.protocol.tms.handshake.TerminalHandshake;
import io.vertx.core.Future;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * One TMS session of a terminal over a {@link TerminalLink}: the H1/H2 handshake (DWK recovered
 * with the DMK in the PIN pad, TAC_1 checked, SAC_1 answered, key message installed into the PIN
 * pad after its KCV check), then sealed D1/D2/D3 requests under the DWK. A PIN pad holding an SM4
 * DMK makes the session SM4 throughout (SM4 TAC/SAC, SM4 key message, SM4 sealed bodies).
 */
public final class TmsClient {
    private final TerminalLink link;
    private final TmsIdentity identity;
    private final PinPad pinPad;
    private final Supplier<LocalDateTime> clock;
    private final RandomSource random;
    private long seq;
    private SoftSeal seal;

    public TmsClient(TerminalLink link, TmsIdentity identity, PinPad pinPad, Supplier<LocalDateTime> clock, RandomSource random) {
        this.link = link;
        this.identity = identity;
        this.pinPad = pinPad;
        this.clock = clock;
        this.random = random;
    }

    /** H1 then H2; fails with {@link TmsAuthenticationException} when TAC_1 does not match (after telling the TMS). */
    public Future<List<KeyMessageEntry>> handshake() {
        return handshake(new StampedRandom(random.next(4), clock.get()));
    }

    /** The handshake with a given T_DATA (tests replay one). */
    public Future<List<KeyMessageEntry>> handshake(StampedRandom tData) {
        // the terminal's cipher family follows its DMK: an SM4 DMK (SM4 profile) speaks SM4 (protocol.md section 5)
        TmsCipher cipher = pinPad.isSm4(identity.dmkIndex(), KeyRole.DMK) ? TmsCipher.SM4 : TmsCipher.TDES;
        TerminalHandshake hs = new TerminalHandshake(new H1Request(identity.vendor(), identity.model(), identity.serial(),
                TmsIdentity.PROTOCOL_VERSION, tData), cipher);
        return clear(TmsCode.H1, hs.h1().toTlvs()).compose(h1 -> {
            H2Request h2 = hs.onH1(H1Response.from(h1), dwk1 -> pinPad.decrypt(identity.dmkIndex(), KeyRole.DMK, dwk1));
            Future<TmsMessage> sent = clear(TmsCode.H2, h2.toTlvs());
            if (!hs.tacMatched()) {
                return sent.<List<KeyMessageEntry>>transform(ar -> Future.failedFuture(new TmsAuthenticationException("TAC_1 mismatch: the TMS is not authenticated")));
            }
            return sent.map(r -> {
                H2Response keys = H2Response.from(r);
                for (TerminalHandshake.RecoveredKey k : hs.onH2(keys)) {
                    if (k.kind() == KeyMessageEntry.KIND_TMK) {
                        if (cipher == TmsCipher.SM4) pinPad.writeSm4(k.index(), KeyRole.TMK, k.clearKey());
                        else pinPad.write(k.index(), KeyRole.TMK, k.clearKey());
                    }
                    Arrays.fill(k.clearKey(), (byte) 0);
                }
                // the TMS's mode (DF15): one DWK for both roles (01, 02) or the TAK and DEK it sent (03)
                seal = new SoftSeal(hs.dataKey(), hs.macKey(), random, hs.session());
                return keys.keys();
            });
        });
    }

    /** D1: reports the installed packages, returns what may be downloaded. */
    public Future<List<PackageEntry>> report(List<PackageEntry> installed) {
        return sealed(TmsCode.D1, List.of(PackageEntry.list(installed)))
                .map(tlvs -> PackageEntry.fromList(BerTlv.require(tlvs, Tags.PACKAGE_LIST)));
    }

    /** D2: one frame. */
    public Future<FrameReply> frame(FrameRequest request) {
        return sealed(TmsCode.D2, request.toTlvs()).map(FrameReply::from);
    }

    /** D3: the install outcome. */
    public Future<Void> installed(InstallReport report) {
        return sealed(TmsCode.D3, report.toTlvs()).mapEmpty();
    }

    /** Sends a request with an explicit body (tests misbehave with it); the raw answer. */
    public Future<TmsMessage> raw(TmsHeader header, byte[] body) {
        byte[] frame = new byte[TmsHeader.LENGTH + body.length];
        header.writeTo(frame, 0);
        System.arraycopy(body, 0, frame, TmsHeader.LENGTH, body.length);
        return link.request(frame).map(TmsMessage::unpack);
    }

    /** The next seq. */
    public long nextSeq() {
        return ++seq;
    }

    /** The sealer of the session (after the handshake). */
    public SoftSeal seal() {
        if (seal == null) throw new IllegalStateException("no handshake yet");
        return seal;
    }

    private Future<TmsMessage> clear(TmsCode code, List<Tlv> tlvs) {
        return link.request(TmsMessage.of(TmsHeader.request(code, nextSeq(), false), tlvs).pack())
                .map(TmsMessage::unpack)
                .compose(r -> "00".equals(r.header().status()) ? Future.succeededFuture(r)
                        : Future.failedFuture(new TmsStatusException(code.name(), r.header().status())));
    }

    private Future<List<Tlv>> sealed(TmsCode code, List<Tlv> tlvs) {
        SoftSeal s = seal();
        return link.request(TmsMessage.sealed(TmsHeader.request(code, nextSeq(), true), s.seal(tlvs)).pack())
                .map(TmsMessage::unpack)
                .compose(r -> {
                    if (!"00".equals(r.header().status())) return Future.failedFuture(new TmsStatusException(code.name(), r.header().status()));
                    if (!r.isSealed()) return Future.succeededFuture(r.tlvs());
                    try {
                        return Future.succeededFuture(s.open(r.sealedBody()));
                    } catch (SoftSeal.BadSealException e) {
                        link.close();
                        return Future.failedFuture(new TmsAuthenticationException(e.getMessage()));
                    }
                });
    }
}
