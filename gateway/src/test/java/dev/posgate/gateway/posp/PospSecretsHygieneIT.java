package dev.posgate.gateway.posp;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Tdes;
import dev.posgate.gateway.support.LogCapture;
import dev.posgate.gateway.support.SecretScan;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Secrets hygiene of the POSP flows: sign-on (keys under the TMK), purchases with PIN and with
 * track 2 (clear, and encrypted under the TDK), a bad PIN, a bad MAC, a reversal, a balance inquiry, a void and a settlement, all at DEBUG; then every log line of the JVM (gateway,
 * bundled HSM, host simulator), the /metrics scrape and every audit row are scanned for the clear
 * TMK, the clear working keys, the LMK, clear and encrypted PIN blocks, the PAN, track 2 and
 * its clear track data block.
 */
class PospSecretsHygieneIT {
    private static final String PAN = "6222021234567890123";
    private static final String TRACK2 = PAN + "=2512201000000000";
    private static final String PIN = "123456";

    @Test
    void noClearKeyPinBlockPanOrTrackDataReachesLogsMetricsOrAudit() throws Exception {
        SecretScan scan = new SecretScan().pan(PAN);
        List<String> logs;
        String metrics;
        List<String> audit = new ArrayList<>();
        try (LogCapture capture = LogCapture.attach(); PospFixture world = PospFixture.start(3000)) {
            PinPad pad = world.registerTmkTerminal("TERMHYG1", "SN-HYG1");
            PosClient pos = world.tmkClient("TERMHYG1", pad);
            byte[] tmk = Parity.adjustOdd(KeyComponents.combine(PospFixture.TMK_1, PospFixture.TMK_2));
            scan.secret("TMK", tmk).secret("TMK component 1", PospFixture.TMK_1).secret("TMK component 2", PospFixture.TMK_2);
            List<byte[]> lmks = lmkKeys(world);
            for (int i = 0; i < lmks.size(); i++) scan.secret("LMK " + i, lmks.get(i));

            PosClient.SignOnResult signOn = await(pos.signOn(SignOnMode.DOUBLE_WITH_TDK));
            assertEquals("00", signOn.code());
            byte[] f62 = signOn.reply().binary(62);
            String[] names = {"PIK", "MAK", "TDK"};
            for (int i = 0, off = 0; off < f62.length; i++, off += 20) {
                scan.secret("clear " + names[i], Tdes.decryptEcb(tmk, Arrays.copyOfRange(f62, off, off + 16)));
            }
            scan.secret("clear PIN block", PinBlocks.format0(PIN, PAN));

            PosMessage withPin = pos.purchase(PAN, 1_234, PIN);
            scan.secret("encrypted PIN block", withPin.binary(52));
            assertEquals("00", await(pos.send(withPin)).code());
            PosMessage swiped = pos.purchase(PAN, 2_000, PIN).set(35, TRACK2);
            scan.secret("encrypted PIN block 2", swiped.binary(52));
            assertEquals("00", await(pos.send(swiped)).code());
            // track 2 encrypted under the TDK (53.3 = 1), no field 2: the clear block is opened in the HSM
            byte[] tdk = Tdes.decryptEcb(tmk, Arrays.copyOfRange(f62, 40, 56));
            byte[] track = HexFormat.of().parseHex(TRACK2.replace('=', 'D'));
            byte[] block = Arrays.copyOfRange(track, track.length - 9, track.length - 1);
            scan.secret("clear track data block", block);
            System.arraycopy(Tdes.encryptEcb(tdk, block), 0, track, track.length - 9, 8);
            PosMessage encryptedTrack = pos.purchase(PAN, 2_100, PIN).unset(2).set(22, "021").set(53, "2610000000000000")
                    .setPackedDigits(35, track, TRACK2.length());
            scan.secret("encrypted PIN block 5", encryptedTrack.binary(52));
            assertEquals("00", await(pos.send(encryptedTrack)).code());
            PosMessage wrongPin = pos.purchase(PAN, 500, "654321");
            scan.secret("encrypted wrong PIN block", wrongPin.binary(52));
            scan.secret("clear wrong PIN block", PinBlocks.format0("654321", PAN));
            assertEquals("55", await(pos.send(wrongPin)).code());
            PosMessage badMac = pos.purchase(PAN, 600, PIN);
            scan.secret("encrypted PIN block 3", badMac.binary(52));
            byte[] body = pos.seal(badMac);
            body[body.length - 1] ^= 1;
            assertEquals("A0", await(pos.sendRaw(body)).code());
            assertEquals("00", await(pos.send(pos.reversalOf(swiped))).code());
            PosMessage balance = pos.balanceInquiry(PAN, PIN);
            scan.secret("encrypted PIN block 4", balance.binary(52));
            assertEquals("00", await(pos.send(balance)).code());
            // an IC balance inquiry whose 55 carries the PAN (5A) and track 2 equivalent (57): never logged
            byte[] icc = java.util.HexFormat.of().parseHex("9F2608A1B2C3D4E5F607189F36020042950500000480005A0A"
                    + PAN + "F57136222021234567890123D29122011234567800F");
            PosMessage icBalance = pos.ic(pos.balanceInquiry(PAN, PIN), icc, "001");
            scan.secret("encrypted PIN block of the IC balance", icBalance.binary(52));
            scan.secret("ICC data", icc);
            assertEquals("00", await(pos.send(icBalance)).code());
            assertEquals("00", await(pos.send(pos.voidOf(PAN, 1_234, withPin.field(11)))).code());
            assertEquals("00", await(pos.send(pos.settlement(0, 0, 1, 1_234))).code());

            metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + world.gateway.adminPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (Row r : await(world.db().query("select actor, action, subject, result, detail::text from audit_log").execute())) {
                audit.add(r.getString(0) + " " + r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4));
            }
            logs = capture.lines();
        }
        assertTrue(logs.size() > 10, "logging was captured: " + logs.size() + " lines");
        assertTrue(metrics.contains("posgate_"), "metrics were scraped");
        // registration and sign-on at least (the KMS identities' rows too, unless features.disabled has kms)
        assertTrue(audit.size() >= 2, "audit rows were read: " + audit);
        List<String> found = new ArrayList<>(scan.findings("logs", logs));
        found.addAll(scan.findings("metrics", metrics));
        found.addAll(scan.findings("audit_log", audit));
        assertEquals(List.of(), found);
    }

    @Test
    void theScanFindsEachKindOfSecretAndPassesMaskedForms() {
        SecretScan scan = new SecretScan().pan(PAN).secret("key", PospFixture.TMK_1);
        assertEquals(1, scan.findings("t", "k=0123456789abcdeffedcba9876543210").size());
        assertEquals(1, scan.findings("t", "K=0123456789ABCDEFFEDCBA9876543210").size());
        assertEquals(1, scan.findings("t", "pan " + PAN).size());
        assertEquals(1, scan.findings("t", "t2 4000001234567899=25122010000").size());
        assertEquals(List.of(), scan.findings("t", "pan 622202*********0123 kcv 0123456789ABCDEF"));
    }

    /** The LMK pairs of the file both HSMs load (hex runs of 32 or more digits). */
    private static List<byte[]> lmkKeys(PospFixture world) throws Exception {
        List<byte[]> keys = new ArrayList<>();
        Matcher m = Pattern.compile("[0-9A-Fa-f]{32,}").matcher(Files.readString(world.lmkFile));
        while (m.find()) keys.add(HexFormat.of().parseHex(m.group().substring(0, 32)));
        assertTrue(!keys.isEmpty(), "LMK file read");
        return keys;
    }
}
