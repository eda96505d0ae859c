package dev.posgate.iso8583.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posgate.iso8583.FormatException;
import dev.posgate.iso8583.tlv.BerTlv;
import dev.posgate.iso8583.tlv.Tlv;
import java.util.List;

/** BER-TLV decoding of arbitrary bytes: a format error or objects that re-encode stably. */
class TlvFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void decodeEncode(byte[] data) {
        List<Tlv> tlvs;
        try {
            tlvs = BerTlv.decode(data);
        } catch (FormatException expected) {
            return;
        }
        byte[] encoded = BerTlv.encode(tlvs);
        assertArrayEquals(encoded, BerTlv.encode(BerTlv.decode(encoded)));
    }
}
