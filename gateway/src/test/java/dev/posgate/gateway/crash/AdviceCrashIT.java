package dev.posgate.gateway.crash;

import static dev.posgate.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posgate.gateway.platform.config.Setting;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.terminal.pinpad.PinPad;
import dev.posgate.terminal.pos.PosClient;
import dev.posgate.testing.BusinessDayZone;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Store and forward across a SIGKILL (docs/posp.md, "Refunds, offline settlement and
 * adjustments"): a refund and an offline settlement are accepted and answered {@code 00}, and the
 * gateway is killed before the host has acted on either (the host simulator stalls: it reads and
 * neither answers nor applies anything, as if nothing had been forwarded). Their journal rows
 * hold the forward state (QUEUED with the upstream 0220, encrypted under the advice DEK: no table
 * holds the PAN meanwhile); the restarted gateway opens and forwards both until acknowledged, the
 * host applies each exactly once and gets the offline settlement's PAN. An IC purchase's TC upload
 * (0320) and script result notification (0620), accepted in the same window, reach the host once
 * too (docs/posp.md, "IC cards").
 */
class AdviceCrashIT {
    private static final String TID = "TADV0001";
    private static final String PAN = "6222021234567890123";

    @Test
    void advicesAcceptedBeforeTheKillReachTheHostOnceAfterTheRestart() throws Exception {
        try (CrashWorld world = CrashWorld.start("advice", Map.of(Setting.UPSTREAM_TIMEOUT, 3000, Setting.HSM_TIMEOUT, 2000), true)) {
            PinPad pad = world.registerTmkTerminal(TID, "SN-ADV-1");
            PosClient pos = world.pos(TID, pad);
            assertEquals("00", await(pos.signOn(SignOnMode.DOUBLE)).code());
            // an IC purchase (issue 18 item 4): its TC upload and script result are advices too
            byte[] icc = HexFormat.of().parseHex("9F2608A1B2C3D4E5F607189F270180" + "9F36020042" + "95050000048000"
                    + "5A0A" + PAN + "F");
            PosMessage purchase = pos.icPurchase(PAN, 10_000, "123456", icc, "001");
            PosClient.Reply p = await(pos.send(purchase));
            assertEquals("00", p.code());
            String batch = pos.batch();
            String date = BusinessDayZone.todayMmdd();

            world.host.stall(true);
            PosMessage refund = pos.refund(PAN, 6_000, batch, purchase.field(11), date, p.message().field(37));
            PosClient.Reply r = await(pos.send(refund));
            assertEquals("00", r.code(), "answered on acceptance");
            assertEquals(Boolean.TRUE, r.macValid());
            PosMessage offline = pos.offlineSettlement(PAN, 2_500, null);
            assertEquals("00", await(pos.send(offline)).code());
            PosMessage tcUpload = pos.tcUpload(purchase, p.message(), HexFormat.of().parseHex("9F2608C1D2E3F4A5B6C7D89F270140"
                    + "5A0A" + PAN + "F"));
            PosClient.Reply tc = await(pos.send(tcUpload));
            assertEquals("0330", tc.message().mti());
            assertEquals("00", tc.code());
            PosMessage scriptResult = pos.scriptResult(purchase, p.message(), HexFormat.of().parseHex("DF31052000000001"
                    + "9F36020042"));
            assertEquals("00", await(pos.send(scriptResult)).code());
            assertEquals("QUEUED", adviceState(world, refund.field(11)));
            assertEquals("QUEUED", adviceState(world, offline.field(11)));
            noCardDataAtRest(world, offline.field(11));
            world.killGateway();

            String refundKey = TID + ":" + batch + ":" + refund.field(11);
            String offlineKey = TID + ":" + batch + ":" + offline.field(11);
            assertNull(world.host.advices().get(refundKey), "nothing applied at the host before the kill");
            assertFalse(world.host.refunded().containsKey(TID + ":" + batch + ":" + purchase.field(11)));
            assertEquals("QUEUED", adviceState(world, refund.field(11)), "the forward state survived the kill");
            world.host.stall(false);

            world.restartGateway();
            assertEquals("DELIVERED", world.awaitValue("DELIVERED", "select advice_state from posp_transaction where tid = $1"
                    + " and stan = $2 and mti = '0220'", TID, refund.field(11)));
            assertEquals("DELIVERED", world.awaitValue("DELIVERED", "select advice_state from posp_transaction where tid = $1"
                    + " and stan = $2 and mti = '0220'", TID, offline.field(11)));
            assertEquals("DELIVERED", world.awaitValue("DELIVERED", "select advice_state from posp_transaction where tid = $1"
                    + " and stan = $2 and mti = '0320'", TID, tcUpload.field(11)));
            assertEquals("DELIVERED", world.awaitValue("DELIVERED", "select advice_state from posp_transaction where tid = $1"
                    + " and stan = $2 and mti = '0620'", TID, scriptResult.field(11)));
            assertEquals(1, world.host.icNotices().get(TID + ":" + batch + ":" + tcUpload.field(11) + ":0320"), "the TC once");
            assertEquals(1, world.host.icNotices().get(TID + ":" + batch + ":" + scriptResult.field(11) + ":0620"));
            assertEquals(PAN, world.host.requestsReceived().get(TID + ":" + tcUpload.field(11) + ":0320").field(2));
            assertEquals("00", world.host.advices().get(refundKey));
            assertEquals("00", world.host.advices().get(offlineKey));
            assertEquals(6_000L, world.host.refunded().get(TID + ":" + batch + ":" + purchase.field(11)), "applied once");
            assertEquals(2_500L, world.host.offlineSettlements().get(offlineKey));
            assertEquals(PAN, world.host.requestsReceived().get(TID + ":" + offline.field(11) + ":0220").field(2),
                    "the advice opened after the restart carries the card's PAN to the host");
            assertEquals(2L, world.host.advices().keySet().stream().filter(k -> k.startsWith(TID + ":")).count());
            assertEquals(6_000L, world.count("select refunded from posp_transaction where tid = $1 and stan = $2 and mti = '0200'",
                    TID, purchase.field(11)));
            assertEquals("APPROVED", world.query("select status from posp_transaction where tid = $1 and stan = $2 and mti = '0220'",
                    TID, refund.field(11)).iterator().next().getString(0), "what the terminal was told holds");
        }
    }

    /**
     * PCI DSS 3.5 (docs/posp.md, "Stored advices at rest"): while the offline settlement waits for
     * the host, its stored 0220 (which carries field 2) is ciphertext under the advice DEK, and no
     * row of any POSP table holds the PAN: neither as digits (text columns, BCD in bytea rendered
     * as hex) nor as ASCII bytes.
     */
    private static void noCardDataAtRest(CrashWorld world, String stan) throws Exception {
        Row stored = world.query("select advice, advice_key_id, advice_iv from posp_transaction where tid = $1 and stan = $2"
                + " and mti = '0220'", TID, stan).iterator().next();
        byte[] body = stored.getBuffer("advice").getBytes();
        assertNotNull(stored.getLong("advice_key_id"), "sealed under a named key version");
        assertEquals(8, stored.getBuffer("advice_iv").length(), "with its CBC IV");
        assertEquals(0, body.length % 8, "TDES-CBC ciphertext");
        assertEquals("ACTIVE", world.query("select state from key_record where id = $1 and owner_type = 'SYSTEM'"
                + " and key_type = 'ADVDEK'", stored.getLong("advice_key_id")).iterator().next().getString(0));
        assertTrue(world.count("select count(*) from audit_log where action = 'posp.advice_key'") >= 1, "its creation audited");
        // the PAN's digits (text, or BCD as hex) and its ASCII bytes as hex; not SecretScan's track-2
        // pattern, which random ciphertext rendered as hex matches now and then
        List<String> needles = List.of(PAN, HexFormat.of().formatHex(PAN.getBytes(StandardCharsets.US_ASCII)));
        List<String> findings = new ArrayList<>();
        find(needles, "stored advice", HexFormat.of().formatHex(body), findings);
        find(needles, "stored advice bytes", new String(body, StandardCharsets.ISO_8859_1), findings);
        List<String> tables = new ArrayList<>();
        world.query("select table_name from information_schema.tables where table_schema = 'public'"
                + " and (table_name like 'posp%' or table_name like 'psam%')").forEach(r -> tables.add(r.getString(0)));
        assertTrue(tables.contains("posp_transaction"), tables.toString());
        for (String table : tables) {
            for (Row r : world.query("select t::text from " + table + " t")) find(needles, table, r.getString(0), findings);
        }
        assertEquals(List.of(), findings, "no clear PAN at rest while the advice is queued");
    }

    private static void find(List<String> needles, String where, String text, List<String> findings) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        for (String n : needles) if (lower.contains(n)) findings.add("PAN (" + (n.equals(PAN) ? "digits" : "ASCII") + ") in " + where);
    }

    private static String adviceState(CrashWorld world, String stan) throws Exception {
        return world.query("select advice_state from posp_transaction where tid = $1 and stan = $2 and mti = '0220'", TID, stan)
                .iterator().next().getString(0);
    }
}
