package dev.posgate.load.gatling;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsCode;
import dev.posgate.iso8583.tms.TmsHeader;
import dev.posgate.iso8583.tms.TmsMessage;
import dev.posgate.protocol.tms.download.FrameReply;
import dev.posgate.protocol.tms.download.InstallReport;
import dev.posgate.protocol.tms.download.PackageDownload;
import dev.posgate.protocol.tms.download.PackageEntry;
import dev.posgate.protocol.tms.download.SoftSeal;
import dev.posgate.protocol.tms.handshake.H1Request;
import dev.posgate.protocol.tms.handshake.H1Response;
import dev.posgate.protocol.tms.handshake.H2Response;
import dev.posgate.protocol.tms.handshake.StampedRandom;
import dev.posgate.protocol.tms.handshake.TerminalHandshake;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;

/**
 * The terminal side of one TMS session for the download wave (docs/tms.md), without I/O and
 * without Vert.x: protocols's {@link TerminalHandshake} (DWK recovered with the DMK, TAC_1
 * checked, SAC_1 answered), then D1/D2/D3 sealed under the DWK with {@link SoftSeal}, and the
 * package assembled by {@link PackageDownload}, whose SHA-256 must match both D1's and the one
 * the rig published. Each request method builds the next frame, each {@code on...} checks an
 * answer and throws when the terminal would refuse it (a KO in the report). One virtual user,
 * one event loop: no locking.
 */
final class TmsTerminal {
    /** Clear DMK components of the load-test fleet (test keys only). */
    static final String[] DMK_COMPONENTS = {"0123456789ABCDEFFEDCBA9876543210", "4C4C4C4C4C4C4C4C2A2A2A2A2A2A2A2A"};
    static final String VENDOR = "LOAD";
    static final String MODEL = "VIRTUAL";
    private static final byte[] DMK = Parity.adjustOdd(KeyComponents.combine(
            HexFormat.of().parseHex(DMK_COMPONENTS[0]), HexFormat.of().parseHex(DMK_COMPONENTS[1])));
    private static final RandomSource RANDOM = RandomSource.secure();

    private final String sn;
    private final String packageName;
    private final byte[] publishedSha256;
    private final int frameLength;
    private long seq;
    private TerminalHandshake handshake;
    private SoftSeal seal;
    private PackageDownload download;
    private long bytesReceived;

    TmsTerminal(String sn, String packageName, byte[] publishedSha256, int frameLength) {
        this.sn = sn;
        this.packageName = packageName;
        this.publishedSha256 = publishedSha256.clone();
        this.frameLength = frameLength;
    }

    static String tid(int index) {
        return String.format("TW%06d", index);
    }

    static String sn(int index) {
        return String.format("TMSWAVE%08d", index);
    }

    TmsMessage h1() {
        handshake = new TerminalHandshake(new H1Request(VENDOR, MODEL, sn, 1,
                new StampedRandom(RANDOM.next(4), LocalDateTime.now())));
        return clear(TmsCode.H1, handshake.h1().toTlvs());
    }

    /** H2 after checking TAC_1: a TMS that does not hold our DMK is refused here. */
    TmsMessage onH1(TmsMessage response) {
        var h2 = handshake.onH1(H1Response.from(response), dwkUnderDmk -> Tdes.decryptEcb(DMK, dwkUnderDmk));
        if (!handshake.tacMatched()) throw new IllegalStateException("TAC_1 mismatch: the TMS is not authenticated");
        return clear(TmsCode.H2, h2.toTlvs());
    }

    void onH2(TmsMessage response) {
        handshake.onH2(H2Response.from(response));
        seal = new SoftSeal(handshake.dwk(), RANDOM);
    }

    /** D1 reporting nothing installed. */
    TmsMessage d1() {
        return sealed(TmsCode.D1, List.of(PackageEntry.list(List.of())));
    }

    void onD1(TmsMessage response) {
        List<PackageEntry> offered = PackageEntry.fromList(BerTlv.require(open(response), Tags.PACKAGE_LIST));
        PackageEntry entry = offered.stream().filter(e -> e.name().equals(packageName)).findFirst()
                .orElseThrow(() -> new IllegalStateException(packageName + " not offered: " + offered));
        if (!MessageDigest.isEqual(entry.sha256(), publishedSha256)) {
            throw new IllegalStateException("D1 announces SHA-256 " + entry.sha256Hex() + ", not the published one");
        }
        download = new PackageDownload(entry);
    }

    boolean complete() {
        return download != null && download.complete();
    }

    TmsMessage d2() {
        return sealed(TmsCode.D2, download.next(frameLength).toTlvs());
    }

    /** Appends the frame; after the last one the package must hash to D1's (and the published) SHA-256. */
    void onD2(TmsMessage response) {
        FrameReply frame = FrameReply.from(open(response));
        download.accept(frame);
        bytesReceived += frame.data().length;
        if (download.complete() && !download.verified()) {
            throw new IllegalStateException("downloaded package fails its SHA-256");
        }
    }

    TmsMessage d3() {
        PackageEntry entry = download.entry();
        download = new PackageDownload(entry); // the bytes are "installed": free them, keep the entry
        bytesReceived = 0;
        return sealed(TmsCode.D3, new InstallReport(entry.name(), entry.version(), InstallReport.INSTALLED).toTlvs());
    }

    /** Bytes of the last D2 answer's frame, for bytes/s. */
    long takeBytes() {
        long n = bytesReceived;
        bytesReceived = 0;
        return n;
    }

    private TmsMessage clear(TmsCode code, List<Tlv> tlvs) {
        return TmsMessage.of(TmsHeader.request(code, ++seq, false), tlvs);
    }

    private TmsMessage sealed(TmsCode code, List<Tlv> tlvs) {
        return TmsMessage.sealed(TmsHeader.request(code, ++seq, true), seal.seal(tlvs));
    }

    // Bare status answers are clear; answers with a body are sealed (MAC checked, then decrypted).
    private List<Tlv> open(TmsMessage response) {
        return response.isSealed() ? seal.open(response.sealedBody()) : response.tlvs();
    }
}
