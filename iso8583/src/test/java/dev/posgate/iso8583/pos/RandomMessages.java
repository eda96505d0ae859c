package dev.posgate.iso8583.pos;

import java.util.Random;

/** Seeded random, valid values for every field of the table. */
final class RandomMessages {
    private final Random rnd;

    RandomMessages(long seed) {
        this.rnd = new Random(seed);
    }

    /** A random valid value for {@code f}: String or byte[]. Fixed-length fields get their exact length. */
    Object value(PosFieldPackager f) {
        int len = f.prefixDigits() == 0 ? f.getLength() : rnd.nextInt(f.getLength() + 1);
        switch (f.kind()) {
            case N:
                return digits(len, false);
            case Z:
                return digits(len, true);
            case ANS: {
                StringBuilder sb = new StringBuilder(len);
                for (int i = 0; i < len; i++) {
                    sb.append((char) (0x21 + rnd.nextInt(0x5E))); // printable, no trailing-space ambiguity
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

    private String digits(int len, boolean track) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(track && rnd.nextInt(8) == 0 ? '=' : (char) ('0' + rnd.nextInt(10)));
        }
        return sb.toString();
    }

    /** A message with a random subset of the defined fields (each present with probability 1/2). */
    PosMessage message(boolean withMac) {
        String[] mtis = {"0200", "0210", "0800", "0810", "0400", "0410", "0500", "0820"};
        PosMessage m = PosMessage.create(new Tpdu(rnd.nextInt(0x10000), rnd.nextInt(0x10000)),
                new AppHeader(60, rnd.nextInt(100), rnd.nextInt(10), rnd.nextInt(10), rnd.nextInt(1_000_000)),
                mtis[rnd.nextInt(mtis.length)]);
        for (int i = 2; i <= 63; i++) {
            PosFieldPackager f = PosPackager.INSTANCE.field(i);
            if (f != null && rnd.nextBoolean()) {
                set(m, i, value(f));
            }
        }
        if (withMac) {
            byte[] mac = new byte[8];
            rnd.nextBytes(mac);
            m.set(64, mac);
        }
        return m;
    }

    static void set(PosMessage m, int i, Object v) {
        if (v instanceof byte[]) {
            m.set(i, (byte[]) v);
        } else {
            m.set(i, (String) v);
        }
    }

    Random random() {
        return rnd;
    }
}
