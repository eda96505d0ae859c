package dev.posgate.protocol.loader;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * A terminal's device certificate (issued by its manufacturer's CA, CN = serial) and the key that
 * stays in the device. In L2 the terminal proves it is that device: DF2A carries the certificate,
 * DF2B = SHA256withRSA over DF27 ‖ SN (ASCII), so the proof is bound to this exchange's RSA block.
 */
public record DeviceIdentity(X509Certificate certificate, PrivateKey privateKey) {
    public static final String ALGORITHM = "SHA256withRSA";

    /** The bytes DF2B signs. */
    public static byte[] signedData(byte[] rsaBlock, String sn) {
        byte[] serial = sn.getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[rsaBlock.length + serial.length];
        System.arraycopy(rsaBlock, 0, data, 0, rsaBlock.length);
        System.arraycopy(serial, 0, data, rsaBlock.length, serial.length);
        return data;
    }

    public byte[] certificateDer() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] sign(byte[] rsaBlock, String sn) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(signedData(rsaBlock, sn));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the device key: " + e.getMessage(), e);
        }
    }
}
