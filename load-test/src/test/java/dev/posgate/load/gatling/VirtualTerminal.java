package dev.posgate.load.gatling;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Tdes;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.Tpdu;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import java.util.HexFormat;

/**
 * The terminal side of one virtual POS for the POSP simulations (protocol.md section 2), without
 * Vert.x: the TMK formed from the same components the harness sends to the gateway's key
 * ceremony (or the one a remote TMK download installed), working keys from a 003 sign-on (checked against their KCVs), purchases with an ISO 0
 * PIN block under the PIK and a UnionPay ECB MAC under the MAK, and the answers' MACs checked.
 * Owned by one Gatling virtual user, so used from one event loop at a time.
 */
public final class VirtualTerminal {
    /** Clear TMK components of the load-test fleet (as PospFixture's; test keys only). */
    public static final String[] TMK_COMPONENTS = {"0123456789ABCDEFFEDCBA9876543210", "1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A"};
    public static final String MID = "898310048990001";
    /** Card of every purchase; the host simulator approves PIN 123456 up to its limit. */
    public static final String PAN = "6222021234567890123";
    static final String PIN = "123456";

    private static final Tpdu TPDU = new Tpdu(0x0003, 0x0000);
    private static final AppHeader HEADER = AppHeader.parse("603100310301");
    private static final String BATCH = "000001";
    private static final byte[] CEREMONY_TMK = Parity.adjustOdd(KeyComponents.combine(
            HexFormat.of().parseHex(TMK_COMPONENTS[0]), HexFormat.of().parseHex(TMK_COMPONENTS[1])));

    private final String tid;
    private final String sn;
    private final byte[] tmk;
    private int stan;
    private byte[] pik;
    private byte[] mak;

    /** A terminal whose TMK the key ceremony formed from {@link #TMK_COMPONENTS}. */
    VirtualTerminal(int index) {
        this(index, CEREMONY_TMK);
    }

    /** A terminal holding {@code tmk}, e.g. the one a remote TMK download (K3) installed. */
    VirtualTerminal(int index, byte[] tmk) {
        this.tid = tid(index);
        this.sn = sn(index);
        this.tmk = tmk.clone();
    }

    static String tid(int index) {
        return String.format("LT%06d", index);
    }

    static String sn(int index) {
        return String.format("LOADSN%08d", index);
    }

    String tid() {
        return tid;
    }

    String sn() {
        return sn;
    }

    /** 0800 sign-on asking for double-length PIK and MAK (60.3 = 003). */
    byte[] signOn() {
        PosMessage m = message("0800", new Field60("00", BATCH, SignOnMode.DOUBLE.code()));
        m.set(63, "001");
        return m.pack();
    }

    /** Installs the working keys of a 0810 after decrypting them under the TMK and checking their KCVs. */
    void acceptSignOn(PosMessage reply) {
        WorkingKeyBlock block = WorkingKeyBlock.decode(SignOnMode.DOUBLE, reply.binary(62));
        byte[] newPik = unwrap(block.pik(), "PIK");
        byte[] newMak = unwrap(block.mak(), "MAK");
        pik = newPik;
        mak = newMak;
    }

    boolean signedOn() {
        return mak != null;
    }

    /** A MACed 0200 purchase of {@code amount} minor units with the PIN under the PIK. */
    byte[] purchase(long amount) {
        if (!signedOn()) throw new IllegalStateException(tid + " has not signed on");
        PosMessage m = message("0200", new Field60("22", BATCH, "000"));
        m.set(2, PAN).set(3, "000000").set(4, String.format("%012d", amount))
                .set(22, "011").set(25, "00").set(26, "06").set(49, "156")
                .set(52, Tdes.encryptEcb(pik, PinBlocks.format0(PIN, PAN))).set(53, "2600000000000000")
                .set(64, new byte[MacBlock.MAC_LENGTH]);
        byte[] body = m.pack();
        MacBlock.writeMac(body, Macs.unionPayEcb(mak, MacBlock.of(body)));
        return body;
    }

    /** Throws unless the answer carries field 64 and it verifies under the MAK over the received bytes. */
    void verifyMac(PosMessage reply) {
        if (!reply.has(64)) throw new IllegalStateException("answer without MAC (39 = " + reply.field(39) + ")");
        byte[] wire = reply.wire();
        if (!Macs.verify(MacBlock.mac(wire), Macs.unionPayEcb(mak, MacBlock.of(wire)))) {
            throw new IllegalStateException("answer MAC does not verify");
        }
    }

    private byte[] unwrap(WorkingKeyBlock.Entry entry, String name) {
        byte[] clear = Tdes.decryptEcb(tmk, entry.encryptedKey());
        if (!Macs.verify(entry.kcv(), Kcv.of(clear, entry.kcv().length))) {
            throw new IllegalStateException(name + " KCV mismatch");
        }
        return clear;
    }

    private PosMessage message(String mti, Field60 f60) {
        stan = stan % 999_999 + 1;
        PosMessage m = PosMessage.create(TPDU, HEADER, mti);
        m.set(11, String.format("%06d", stan)).set(41, tid).set(42, MID).set(60, f60.format());
        return m;
    }
}
