package dev.posgate.hsm.command;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The public key of EJ in either DER form: X.509 {@code SubjectPublicKeyInfo} (the software HSM)
 * or PKCS#1 {@code RSAPublicKey} (payShield's "DER encoding for ASN.1 public key", issue 16), read
 * as the former so the rest of the gateway sees one form.
 */
final class RsaPublicKeys {
    /** {@code AlgorithmIdentifier { rsaEncryption, NULL }}. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7,
            0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};

    private RsaPublicKeys() {}

    /** {@code der} (one DER SEQUENCE) as a SubjectPublicKeyInfo: unchanged if it is one, wrapped if it is PKCS#1. */
    static byte[] asSubjectPublicKeyInfo(byte[] der) {
        int content = 2 + ((der[1] & 0x80) == 0 ? 0 : der[1] & 0x7F);
        if (content >= der.length || der[content] != 0x02) {
            return der; // a SEQUENCE that starts with a SEQUENCE (the algorithm): already SubjectPublicKeyInfo
        }
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
