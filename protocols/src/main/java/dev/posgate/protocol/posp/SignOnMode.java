package dev.posgate.protocol.posp;

/**
 * The three sign-on variants of protocol.md section 2, by their 60.3 network management code:
 * which working keys field 62 of the 0810 carries and how long they are.
 */
public enum SignOnMode {
    /** 001: single-length PIK and MAK (legacy). */
    SINGLE("001", 8, false),
    /** 003: double-length PIK and MAK. */
    DOUBLE("003", 16, false),
    /** 004: double-length PIK, MAK and TDK. */
    DOUBLE_WITH_TDK("004", 16, true);

    /** Bytes of a key check value in field 62. */
    public static final int KCV_LENGTH = 4;

    private final String code;
    private final int keyLength;
    private final boolean tdk;

    SignOnMode(String code, int keyLength, boolean tdk) {
        this.code = code;
        this.keyLength = keyLength;
        this.tdk = tdk;
    }

    /** The 60.3 code. */
    public String code() {
        return code;
    }

    /** Clear (and encrypted) length of each working key: 8 or 16 bytes. */
    public int keyLength() {
        return keyLength;
    }

    public boolean hasTdk() {
        return tdk;
    }

    /** Number of keys in field 62: PIK, MAK and, for 004, TDK. */
    public int keyCount() {
        return tdk ? 3 : 2;
    }

    /** Length of field 62: 24, 40 or 60 bytes. */
    public int field62Length() {
        return keyCount() * (keyLength + KCV_LENGTH);
    }

    /** The mode for a 60.3 code, or null when it is not a sign-on code. */
    public static SignOnMode ofCode(String code) {
        for (SignOnMode m : values()) {
            if (m.code.equals(code)) return m;
        }
        return null;
    }
}
