package dev.posgate.protocol.tms.download;

import dev.posgate.crypto.Padding;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import dev.posgate.protocol.tms.TmsCipher;
import java.util.List;

/**
 * The plaintext of a download-phase sealed body (protocol.md section 3): TLVs padded ISO 9797-1
 * method 2 to the cipher family's block. The seal itself ({@code IV ‖ TDES-CBC ‖ X9.19} under the
 * DWK, {@code CbcSeal}; {@code IV ‖ SM4-CBC ‖ SM4-CBC-MAC}, {@code Sm4CbcSeal}, for SM4) runs
 * wherever the DWK is: {@link SoftSeal} on the terminal, HSM commands Z0/Z2 in the gateway.
 */
public final class SealedBody {
    private SealedBody() {}

    /** The plaintext to encrypt: TLVs padded ISO 9797-1 method 2 to 8-byte blocks (TDES). */
    public static byte[] plaintext(List<Tlv> tlvs) {
        return plaintext(tlvs, TmsCipher.TDES);
    }

    /** The plaintext to encrypt: TLVs padded ISO 9797-1 method 2 to the family's block (16 for SM4). */
    public static byte[] plaintext(List<Tlv> tlvs, TmsCipher cipher) {
        return Padding.iso9797Method2(BerTlv.encode(tlvs), cipher.block());
    }

    /** The TLVs of a decrypted TDES plaintext; bad padding is {@link IllegalArgumentException}. */
    public static List<Tlv> tlvs(byte[] plaintext) {
        return tlvs(plaintext, TmsCipher.TDES);
    }

    /** The TLVs of a decrypted plaintext of the family; bad padding is {@link IllegalArgumentException}. */
    public static List<Tlv> tlvs(byte[] plaintext, TmsCipher cipher) {
        return BerTlv.decode(Padding.unpadIso9797Method2(plaintext, cipher.block()));
    }
}
