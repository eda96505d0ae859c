package dev.posgate.iso8583.pos;

import org.jpos.iso.ISOComponent;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.posgate.iso8583.TestHex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 19: PosMessage's field array is packed and unpacked by PosFieldPackager's direct codec
 * ({@code packInto}/{@code decode}); for every field it must give the bytes and values of the wrapped
 * jPOS field packager (the {@code pack(ISOComponent)}/{@code unpack(ISOComponent, ...)} path), including
 * short fixed values (zero/space padding), trailing spaces, bytes above 0x7F and z nibbles A-F.
 */
class PosFieldCodecTest {

    @Test
    void directCodecMatchesTheJposPackagers() throws Exception {
        Random rnd = new Random(19);
        for (int no = 0; no <= PosPackager.MAX_FIELD; no++) {
            PosFieldPackager f = PosPackager.INSTANCE.field(no);
            if (f == null) {
                continue;
            }
            for (int n = 0; n < 400; n++) {
                Object v = value(f, rnd, no == 0);
                ISOComponent c = f.createComponent(no);
                c.setValue(v);
                byte[] jpos = f.pack(c);

                byte[] ours = new byte[3 + f.packedLength(v)];
                int end = f.packInto(v, ours, 3);
                assertEquals(ours.length, end, "field " + no + " length of " + v);
                assertEquals(hex(jpos), hex(java.util.Arrays.copyOfRange(ours, 3, end)), "field " + no + " " + v);

                ISOComponent back = f.createComponent(no);
                assertEquals(jpos.length, f.unpack(back, ours, 3, end));
                Object decoded = f.decode(ours, 3);
                if (f.isBinary()) {
                    assertArrayEquals((byte[]) back.getValue(), (byte[]) decoded, "field " + no);
                } else {
                    assertEquals(back.getValue(), decoded, "field " + no + " " + v);
                }
            }
        }
    }

    private static Object value(PosFieldPackager f, Random rnd, boolean mti) {
        int max = f.getLength();
        int len = mti ? 4 : f.prefixDigits() == 0 && f.isBinary() ? max : rnd.nextInt(max + 1);
        if (f.prefixDigits() == 0 && !f.isBinary() && rnd.nextBoolean()) {
            len = max;
        }
        switch (f.kind()) {
            case N:
            case Z: {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    int k = rnd.nextInt(f.kind() == PosFieldPackager.Kind.Z ? 16 : 10);
                    sb.append(k == 0x0D ? '=' : Character.toUpperCase(Character.forDigit(k, 16)));
                }
                return sb.toString();
            }
            case ANS: {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    int k = rnd.nextInt(4);
                    sb.append(k == 0 ? ' ' : (char) (k == 1 ? 0x80 + rnd.nextInt(0x80) : 0x20 + rnd.nextInt(0x5F)));
                }
                return sb.toString();
            }
            default: {
                byte[] b = new byte[len];
                rnd.nextBytes(b);
                return b;
            }
        }
    }
}
