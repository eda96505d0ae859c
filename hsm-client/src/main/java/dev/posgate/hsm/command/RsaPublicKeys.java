package dev.posgate.hsm.command;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The public key of EJ in either DER form: X.509 {@code SubjectPublicKeyInfo} (the software HSM)
 * or PKCS#1 {@code RSAPublicKey} (payShield's "DER encoding for ASN.1 public key", issue 16), read
 * as the former so the rest of the gateway sees one form.
 */
public final class RsaPublicKeys {
    /** {@code AlgorithmIdentifier { rsaEncryption, NULL }}. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7,
            0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};

    private RsaPublicKeys() {}

    /**
     * {@code der} (one DER SEQUENCE) as a SubjectPublicKeyInfo: unchanged if it is one, wrapped if it
     * is PKCS#1. The PKCS#1 integers are read as unsigned magnitudes and written back in DER's two's
     * complement: payShield's public key encoding {@code 01} (the one posgate asks for) writes them
     * unsigned, so a modulus whose top bit is set has no leading zero byte (ut-codec-payshield
     * test/config/test.js generateRsaKeyPairDecode case 0: {@code 3082010902820100C5...}), which a
     * strict DER reader would take for a negative number.
     */
    public static byte[] asSubjectPublicKeyInfo(byte[] der) {
        int content = 2 + ((der[1] & 0x80) == 0 ? 0 : der[1] & 0x7F);
        if (content >= der.length || der[content] != 0x02) {
            return der; // a SEQUENCE that starts with a SEQUENCE (the algorithm): already SubjectPublicKeyInfo
        }
        der = rsaPublicKey(der, false);
        ByteArrayOutputStream bitString = new ByteArrayOutputStream();
        bitString.write(0x03);
        writeLength(bitString, der.length + 1);
        bitString.write(0x00); // no unused bits
        bitString.writeBytes(der);
        byte[] body = concat(RSA_ALGORITHM, bitString.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * The PKCS#1 {@code RSAPublicKey} inside a SubjectPublicKeyInfo (the content of its BIT STRING
     * after the unused-bits byte): what a payShield answers in EJ.
     */
    public static byte[] asRsaPublicKey(byte[] spki) {
        int[] outer = header(spki, 0, 0x30);
        int[] algorithm = header(spki, outer[0], 0x30);
        int bitString = algorithm[0] + algorithm[1];
        int[] bits = header(spki, bitString, 0x03);
        if (bits[1] < 2 || spki[bits[0]] != 0) {
            throw new IllegalArgumentException("not an RSA SubjectPublicKeyInfo");
        }
        return Arrays.copyOfRange(spki, bits[0] + 1, bits[0] + bits[1]);
    }

    /**
     * A PKCS#1 {@code RSAPublicKey} re-encoded with its integers {@code unsigned} (payShield's public
     * key encoding {@code 01}: no sign byte) or in DER two's complement (encoding {@code 02}, and
     * X.509). The input's integers are read as unsigned magnitudes, so either form is accepted.
     */
    public static byte[] rsaPublicKey(byte[] pkcs1, boolean unsigned) {
        int[] seq = header(pkcs1, 0, 0x30);
        int[] n = header(pkcs1, seq[0], 0x02);
        int[] e = header(pkcs1, n[0] + n[1], 0x02);
        if (e[0] + e[1] != seq[0] + seq[1] || seq[0] + seq[1] != pkcs1.length) {
            throw new IllegalArgumentException("not a PKCS#1 RSAPublicKey");
        }
        byte[] body = concat(integer(Arrays.copyOfRange(pkcs1, n[0], n[0] + n[1]), unsigned),
                integer(Arrays.copyOfRange(pkcs1, e[0], e[0] + e[1]), unsigned));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A DER INTEGER of the magnitude {@code value} (leading zeros dropped), unsigned or two's complement. */
    private static byte[] integer(byte[] value, boolean unsigned) {
        int start = 0;
        while (start < value.length - 1 && value[start] == 0) start++;
        byte[] magnitude = Arrays.copyOfRange(value, start, value.length);
        boolean pad = !unsigned && (magnitude[0] & 0x80) != 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x02);
        writeLength(out, magnitude.length + (pad ? 1 : 0));
        if (pad) out.write(0);
        out.writeBytes(magnitude);
        return out.toByteArray();
    }

    /** {content offset, content length} of the DER element with {@code tag} at {@code at}. */
    private static int[] header(byte[] der, int at, int tag) {
        if (at + 2 > der.length || (der[at] & 0xFF) != tag) {
            throw new IllegalArgumentException("unexpected DER at " + at);
        }
        int l = der[at + 1] & 0xFF;
        int pos = at + 2;
        int length = l;
        if (l >= 0x80) {
            int n = l & 0x7F;
            if (n < 1 || n > 3 || pos + n > der.length) throw new IllegalArgumentException("bad DER length");
            length = 0;
            for (int i = 0; i < n; i++) length = (length << 8) | (der[pos + i] & 0xFF);
            pos += n;
        }
        if (pos + length > der.length) throw new IllegalArgumentException("truncated DER");
        return new int[] {pos, length};
    }

    private static void writeLength(ByteArrayOutputStream out, int n) {
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
