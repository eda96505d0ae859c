package dev.posgate.protocol.tms.download;

import dev.posgate.crypto.Padding;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import java.util.List;

/**
 * The plaintext of a download-phase sealed body (protocol.md section 3): TLVs padded ISO 9797-1
 * method 2. The seal itself ({@code IV ‖ TDES-CBC ‖ X9.19} under the DWK, {@code CbcSeal}) runs
 * wherever the DWK is: {@link SoftSeal} on the terminal, HSM commands Z0/Z2 in the gateway.
 */
public final class SealedBody {
    private SealedBody() {}

    /** The plaintext to encrypt: TLVs padded ISO 9797-1 method 2. */
    public static byte[] plaintext(List<Tlv> tlvs) {
        return Padding.iso9797Method2(BerTlv.encode(tlvs));
    }

    /** The TLVs of a decrypted plaintext; bad padding is {@link IllegalArgumentException}. */
    public static List<Tlv> tlvs(byte[] plaintext) {
        return BerTlv.decode(Padding.unpadIso9797Method2(plaintext));
    }
}
