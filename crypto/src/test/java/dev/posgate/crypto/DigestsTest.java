package dev.posgate.crypto;

import static dev.posgate.crypto.V.hx;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DigestsTest {
    /** FIPS 180-2 appendix B examples. */
    @Test
    void sha256KnownAnswers() {
        assertEquals("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
                hx(Digests.sha256(V.ascii("abc"))));
        assertEquals("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", hx(Digests.sha256()));
        assertEquals("248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1",
                hx(Digests.sha256(V.ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))));
    }

    @Test
    void partsAreConcatenated() {
        assertEquals(hx(Digests.sha256(V.ascii("abc"))),
                hx(Digests.sha256(V.ascii("a"), new byte[0], V.ascii("bc"))));
    }
}
