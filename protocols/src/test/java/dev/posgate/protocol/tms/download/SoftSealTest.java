package dev.posgate.protocol.tms.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posgate.crypto.Macs;
import dev.posgate.crypto.RandomSource;
import dev.posgate.crypto.Tdes;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoftSealTest {
    static final byte[] DWK = HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210");

    @Test
    void layoutIsIvCiphertextOfPaddedTlvsThenX919OverIvAndCiphertext() {
        byte[] iv = HexFormat.of().parseHex("1122334455667788");
        SoftSeal seal = new SoftSeal(DWK, n -> iv.clone());
        FrameRequest req = new FrameRequest("app", "1.0", 16, 512);
        byte[] body = seal.seal(req.toTlvs());
        byte[] plain = dev.posgate.crypto.Padding.iso9797Method2(dev.posgate.iso8583.tlv.BerTlv.encode(req.toTlvs()));
        byte[] ct = Tdes.encryptCbc(DWK, iv, plain);
        assertEquals(8 + ct.length + 8, body.length);
        assertEquals(HexFormat.of().formatHex(iv), HexFormat.of().formatHex(body, 0, 8));
        assertEquals(HexFormat.of().formatHex(ct), HexFormat.of().formatHex(body, 8, 8 + ct.length));
        byte[] macInput = Arrays.copyOf(body, 8 + ct.length);
        assertEquals(HexFormat.of().formatHex(Macs.x919(DWK, macInput)), HexFormat.of().formatHex(body, body.length - 8, body.length));
        assertEquals(req, FrameRequest.from(seal.open(body)));
    }

    @Test
    void anyFlippedBitFailsTheMac() {
        SoftSeal seal = new SoftSeal(DWK, RandomSource.secure());
        byte[] body = seal.seal(new FrameReply(0, new byte[100]).toTlvs());
        for (int i : new int[] {0, 8, body.length / 2, body.length - 1}) {
            byte[] t = body.clone();
            t[i] ^= 0x01;
            assertThrows(SoftSeal.BadSealException.class, () -> seal.open(t));
        }
        SoftSeal other = new SoftSeal(RandomSource.secure().next(16), RandomSource.secure());
        assertThrows(SoftSeal.BadSealException.class, () -> other.open(body));
        assertEquals(List.of(), new SoftSeal(DWK, RandomSource.secure()).open(new SoftSeal(DWK, RandomSource.secure()).seal(List.of())));
    }
}
