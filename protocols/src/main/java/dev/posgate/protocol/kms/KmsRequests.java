package dev.posgate.protocol.kms;

import dev.posgate.iso8583.tlv.Tags;
import dev.posgate.protocol.tms.handshake.Texts;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.iso8583.tms.TmsMessage;

/**
 * The K-flow requests as the KMS reads them (protocol.md section 3). A missing tag or a value of
 * the wrong length throws the TLV format exception, which the gateway answers with {@code 30}.
 */
public final class KmsRequests {
    private KmsRequests() {}

    /** {@code sm}: DF07 = 02, the terminal asks for the SM2 KMS certificate (docs/kms.md, "K-flow with SM2"). */
    public record K1(String sn, boolean sm) {
        public K1(String sn) {
            this(sn, false);
        }
    }

    /** {@code sm}: DF07 = 02, an SM4 terminal (16-byte Rnd1; SM2 TK block, SM4 TMK). */
    public record K2(String sn, String snPinpad, int keyIndex, byte[] rnd1, boolean sm) {
        public K2(String sn, String snPinpad, int keyIndex, byte[] rnd1) {
            this(sn, snPinpad, keyIndex, rnd1, false);
        }
    }

    /** {@code aukRnd2}: 8 bytes (TDES AUK) or 16 (SM4 AUK); the HSM checks it against the AUK's algorithm. */
    public record K3(String sn, byte[] aukRnd2) {}

    /** K4 and L3 share this shape: serial, key index, KCV of the installed TMK. */
    public record Installed(String sn, int keyIndex, byte[] kcv) {}

    public static K1 k1(TmsMessage m) {
        return new K1(sn(m), smFamily(m));
    }

    public static K2 k2(TmsMessage m) {
        Tlv pinpad = m.find(Tags.PINPAD_SERIAL_NUMBER);
        boolean sm = smFamily(m);
        return new K2(sn(m), pinpad == null ? null : Texts.ans(pinpad, 32), m.require(Tags.PINPAD_KEY_INDEX).asByte(),
                m.require(Tags.RND1).valueOfLength(randomLength(sm)), sm);
    }

    public static K3 k3(TmsMessage m) {
        byte[] proof = m.require(Tags.E_AUK_RND2).value();
        if (proof.length != 8 && proof.length != 16) proof = m.require(Tags.E_AUK_RND2).valueOfLength(8); // format error
        return new K3(sn(m), proof);
    }

    public static Installed installed(TmsMessage m) {
        return new Installed(sn(m), m.require(Tags.PINPAD_KEY_INDEX).asByte(), m.require(Tags.KCV).valueOfLength(4));
    }

    /** DF07 (key family): absent or {@code 01} RSA/TDES, {@code 02} SM2/SM4; anything else is a format error. */
    public static boolean smFamily(TmsMessage m) {
        Tlv family = m.find(Tags.KEY_FAMILY);
        if (family == null) return false;
        int v = family.asByte();
        if (v == FAMILY_RSA) return false;
        if (v == FAMILY_SM) return true;
        throw new FlowRefusedException("30", "unknown key family " + v);
    }

    /** Rnd1, Rnd2 and the AUK proofs: 8 bytes (TDES), 16 (SM4, one block). */
    public static int randomLength(boolean sm) {
        return sm ? 16 : 8;
    }

    /** An SM2 TK block: SM2(Pk, TEK) ‖ SM2(Pk, AUK), two C1 ‖ C3 ‖ C2 of 65 + 32 + 16 bytes. */
    public static final int SM2_TK_BLOCK = 2 * (65 + 32 + 16);

    /**
     * True for an SM2 TK block (SM4 terminal): an RSA-OAEP block has the modulus length (256 bytes
     * and up), so the length tells them apart.
     */
    public static boolean sm2TkBlock(byte[] tkBlock) {
        return tkBlock.length == SM2_TK_BLOCK;
    }

    public static final int FAMILY_RSA = 0x01;
    public static final int FAMILY_SM = 0x02;

    static String sn(TmsMessage m) {
        // printable ASCII only: a NUL reached PostgreSQL (96), a CR/LF forged log lines (issue 13)
        return Texts.ans(m.require(Tags.SERIAL_NUMBER), 32);
    }
}
