package dev.posgate.load.gatling;

import dev.posgate.crypto.KeyComponents;
import dev.posgate.crypto.Kcv;
import dev.posgate.crypto.Macs;
import dev.posgate.crypto.Parity;
import dev.posgate.crypto.PinBlocks;
import dev.posgate.crypto.Sm4;
import dev.posgate.crypto.Tdes;
import dev.posgate.iso8583.pos.AppHeader;
import dev.posgate.iso8583.pos.Field60;
import dev.posgate.iso8583.pos.MacBlock;
import dev.posgate.iso8583.pos.PosMessage;
import dev.posgate.iso8583.pos.Tpdu;
import dev.posgate.protocol.posp.KeyAlgorithm;
import dev.posgate.protocol.posp.SignOnMode;
import dev.posgate.protocol.posp.Sm4PinField;
import dev.posgate.protocol.posp.WorkingKeyBlock;
import java.util.HexFormat;

/**
 * The terminal side of one virtual POS for the POSP simulations (protocol.md section 2), without
 * Vert.x: the TMK formed from the same components the harness sends to the gateway's key
 * ceremony (or the one a remote TMK download installed), working keys from a 003 sign-on (checked against their KCVs), purchases with an ISO 0
 * PIN block under the PIK and a UnionPay ECB MAC under the MAK, and the answers' MACs checked.
 * An SM4 terminal (protocol.md section 5, docs/national-crypto.md) holds an SM4 TMK: SM4 working
 * keys with SM4 KCVs, the SM4 format-0 PIN block (field 63, {@link Sm4PinField}), 53.2 = 4 and the
 * UnionPay SM4 POS MAC, all from crypto/protocols (the gateway's own implementations).
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
    /** The SM4 TMK the ceremony forms for an SM4 terminal from the same components (XOR, SM4 keys have no parity). */
    static final byte[] CEREMONY_SM4_TMK = KeyComponents.combine(
            HexFormat.of().parseHex(TMK_COMPONENTS[0]), HexFormat.of().parseHex(TMK_COMPONENTS[1]));

    private final String tid;
    private final String sn;
    private final byte[] tmk;
    private final KeyAlgorithm algorithm;
    private int stan;
    private byte[] pik;
    private byte[] mak;

    /** A terminal whose TMK the key ceremony formed from {@link #TMK_COMPONENTS}. */
    VirtualTerminal(int index) {
        this(index, CEREMONY_TMK);
    }

    /** A ceremony terminal of {@code algorithm} (the SM4 TMK for SM4). */
    VirtualTerminal(int index, KeyAlgorithm algorithm) {
        this(index, algorithm == KeyAlgorithm.SM4 ? CEREMONY_SM4_TMK : CEREMONY_TMK, algorithm);
    }

    /** A terminal holding {@code tmk}, e.g. the one a remote TMK download (K3) installed. */
    VirtualTerminal(int index, byte[] tmk) {
        this(index, tmk, KeyAlgorithm.TDES);
    }

    /** A terminal holding a {@code tmk} of {@code algorithm}. */
    VirtualTerminal(int index, byte[] tmk, KeyAlgorithm algorithm) {
        this.tid = tid(index);
        this.sn = sn(index);
        this.tmk = tmk.clone();
        this.algorithm = algorithm;
    }

    KeyAlgorithm algorithm() {
        return algorithm;
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
        WorkingKeyBlock block = WorkingKeyBlock.decode(SignOnMode.DOUBLE, algorithm, reply.binary(62));
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
                .set(53, algorithm.field53WithPin());
        if (algorithm == KeyAlgorithm.SM4) Sm4PinField.write(m, Sm4.encryptEcb(pik, PinBlocks.sm4Format0(PIN, PAN)));
        else m.set(52, Tdes.encryptEcb(pik, PinBlocks.format0(PIN, PAN)));
        m.set(64, new byte[MacBlock.MAC_LENGTH]);
        byte[] body = m.pack();
        MacBlock.writeMac(body, mac(MacBlock.of(body)));
        return body;
    }

    /**
     * The working keys of the last sign-on as a pos-terminal key holder, so that {@code PosClient}
     * builds and MACs this terminal's messages ({@link MixedTerminal}); PIN blocks and MACs as
     * {@link #purchase}, keys from {@link #acceptSignOn} or a field 62 handed to it.
     */
    dev.posgate.terminal.pos.WorkingKeyHolder keys() {
        return new dev.posgate.terminal.pos.WorkingKeyHolder() {
            @Override
            public boolean acceptWorkingKeys(WorkingKeyBlock block) {
                try {
                    byte[] newPik = unwrap(block.pik(), "PIK");
                    byte[] newMak = unwrap(block.mak(), "MAK");
                    pik = newPik;
                    mak = newMak;
                    return true;
                } catch (IllegalStateException e) {
                    return false;
                }
            }

            @Override
            public byte[] encryptPin(String pin, String pan) {
                if (!signedOn()) throw new IllegalStateException(tid + " has not signed on");
                return algorithm == KeyAlgorithm.SM4 ? Sm4.encryptEcb(pik, PinBlocks.sm4Format0(pin, pan))
                        : Tdes.encryptEcb(pik, PinBlocks.format0(pin, pan));
            }

            @Override
            public byte[] mac(byte[] mab, boolean x919) {
                if (x919) throw new UnsupportedOperationException("the load-test fleet MACs with the UnionPay ECB/SM4 MAC");
                return VirtualTerminal.this.mac(mab);
            }

            @Override
            public KeyAlgorithm algorithm() {
                return algorithm;
            }
        };
    }

    /** Throws unless the answer carries field 64 and it verifies under the MAK over the received bytes. */
    void verifyMac(PosMessage reply) {
        if (!reply.has(64)) throw new IllegalStateException("answer without MAC (39 = " + reply.field(39) + ")");
        byte[] wire = reply.wire();
        if (!Macs.verify(MacBlock.mac(wire), mac(MacBlock.of(wire)))) {
            throw new IllegalStateException("answer MAC does not verify");
        }
    }

    /** The UnionPay POS MAC of the terminal's algorithm (ECB MAC under a TDES MAK, SM4 POS MAC under an SM4 MAK). */
    private byte[] mac(byte[] mab) {
        return algorithm == KeyAlgorithm.SM4 ? Macs.unionPaySm4(mak, mab) : Macs.unionPayEcb(mak, mab);
    }

    private byte[] unwrap(WorkingKeyBlock.Entry entry, String name) {
        boolean sm4 = algorithm == KeyAlgorithm.SM4;
        byte[] clear = sm4 ? Sm4.decryptEcb(tmk, entry.encryptedKey()) : Tdes.decryptEcb(tmk, entry.encryptedKey());
        byte[] kcv = sm4 ? Kcv.ofSm4(clear, entry.kcv().length) : Kcv.of(clear, entry.kcv().length);
        if (!Macs.verify(entry.kcv(), kcv)) {
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
